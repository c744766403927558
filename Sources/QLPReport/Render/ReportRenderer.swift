import Foundation
import QLPCore

/// The formats `qlp report --format` writes.
public enum ReportFormat: String, Sendable, CaseIterable {
    case table, markdown, csv, json

    public var fileExtension: String {
        switch self {
        case .table: "txt"
        case .markdown: "md"
        case .csv: "csv"
        case .json: "json"
        }
    }
}

/// Writes a finance report in one of the formats.
public enum ReportRenderer {
    public static func render(_ report: FinanceReport, as format: ReportFormat, money: MoneyFormat = .standard) -> String {
        switch format {
        case .table: table(report, money: money)
        case .markdown: markdown(report)
        case .csv: ReportCSV.render(report)
        case .json: ReportJSON.render(report)
        }
    }

    static func table(_ report: FinanceReport, money: MoneyFormat) -> String {
        let doc = ReportDocument(report, money: money).printable
        var out = [doc.title, String(repeating: "=", count: doc.title.count), ""] + doc.intro
        for section in doc.sections {
            out += ["", section.title, String(repeating: "-", count: section.title.count)]
            out += section.before
            if let table = section.table { out.append(table.aligned) }
            out += section.after
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func markdown(_ report: FinanceReport) -> String {
        let doc = ReportDocument(report).printable
        let text = MarkdownText.escaped
        var out = ["# \(text(doc.title))", ""] + doc.intro.map(text)
        for section in doc.sections {
            out += ["", "## \(text(section.title))", ""]
            if !section.before.isEmpty { out += section.before.map { "- \(text($0))" } + [""] }
            if let table = section.table { out += [table.markdown, ""] }
            out += section.after.map { "- \(text($0))" }
        }
        return out.joined(separator: "\n").replacingOccurrences(of: "\n\n\n", with: "\n\n") + "\n"
    }
}
