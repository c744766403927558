import Foundation
import QLPCore
import Testing

@testable import QLPReport

/// Issue 14, finding 9: names from a cost file reach no report format raw.
/// The names go in through the importer, as finance would feed them, and
/// every byte of each format is checked.
@Suite struct HostileTextReportTests {
    typealias B = FinanceReportBuilderTests

    static let header =
        "Date,Cost,BillingCurrency,MeterCategory,MeterSubCategory,MeterName,ResourceGroup,ResourceId,ResourceName,Tags,ChargeType"

    /// Clear the screen, retitle the terminal, a C1 CSI, a carriage return,
    /// a forged line, a right-to-left override; each as a service and in a
    /// resource group's name.
    static let hostile = [
        "Storage\u{1B}[2J", "Title\u{1B}]0;PWNED\u{07}", "Probe\u{9B}6n", "Over\rwrite",
        "Split\nFORGED LINE", "Bidi\u{202E}gpj.exe",
    ]

    static func csvField(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Rows in week 47 of 2026 and the week before, one per hostile name.
    static var file: String {
        var lines = [header]
        for (index, name) in hostile.enumerated() {
            for day in ["11/12/2026", "11/18/2026"] {
                lines.append(
                    "\(day),\(index + 1).50,GBP,\(csvField(name)),Sub,Meter,\(csvField("rg-" + name)),"
                        + "/subscriptions/s/resourceGroups/rg/providers/p/t/r\(index),r\(index),,Usage")
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func report() throws -> FinanceReport {
        let imported = try CostFileImporter.parse(Array(file.utf8), file: "hostile.csv", basis: .actual, skipBadRows: false)
        #expect(imported.records.count == hostile.count * 2)
        #expect(imported.records.contains { $0.service == "Split\nFORGED LINE" }, "the importer keeps names as they are")
        return try FinanceReportBuilder(
            plan: B.plan, period: .week(ISOWeek(year: 2026, week: 47)!), today: B.day(2026, 11, 26),
            generatedAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
        .build(ReportInput(records: imported.records, source: "hostile.csv", basis: .actual, rowsRead: imported.rowCount))
    }

    /// ESC, BEL, C1, CR, bidi controls: none may be written.
    static func controls(in text: String, allowing allowed: Set<UInt32> = [0x0A]) -> [String] {
        text.unicodeScalars.filter { scalar in
            let v = scalar.value
            guard !allowed.contains(v) else { return false }
            return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
        }.map { String(format: "U+%04X", $0.value) }
    }

    @Test(arguments: [ReportFormat.table, .markdown])
    func finding09_hostileNamesInACostFileReachTheTextReportsInert(format: ReportFormat) throws {
        let text = ReportRenderer.render(try Self.report(), as: format)
        #expect(Self.controls(in: text).isEmpty, "\(format): \(Self.controls(in: text))")
        // A name's line feed does not start a line of its own.
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("FORGED") || $0.hasPrefix("| FORGED") }, "\(text)")
        // Each name is still there, its controls marked.
        #expect(text.contains("Split?FORGED LINE"), "\(text)")
        #expect(text.contains("Storage?"), "\(text)")
    }

    @Test func finding09_hostileNamesInACostFileReachTheCSVInert() throws {
        let text = ReportRenderer.render(try Self.report(), as: .csv)
        // CR LF ends each record; nothing else may hold a control.
        let records = text.components(separatedBy: "\r\n")
        #expect(
            records.allSatisfy { Self.controls(in: $0, allowing: []).isEmpty },
            "\(records.filter { !Self.controls(in: $0, allowing: []).isEmpty })")
        #expect(text.contains("Split?FORGED LINE"))
    }

    @Test func finding09_aPipeInANameDoesNotSplitAMarkdownTableRow() throws {
        let rows = [
            B.row(B.day(2026, 11, 18), "Storage | injected | cells", "5", rg: "rg|x"),
            B.row(B.day(2026, 11, 18), "[click](javascript:alert(1)) <img src=x onerror=alert(1)> *bold* `code`", "2"),
        ]
        let report = try FinanceReportBuilder(plan: B.plan, period: .week(ISOWeek(year: 2026, week: 47)!), today: B.day(2026, 11, 26))
            .build(ReportInput(records: B.steady + rows, source: "test", basis: .actual, rowsRead: 2))
        let markdown = ReportRenderer.render(report, as: .markdown)
        for block in markdown.components(separatedBy: "\n\n") where block.hasPrefix("|") {
            let lines = block.split(separator: "\n")
            func cells(_ line: Substring) -> Int { line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count }
            #expect(lines.allSatisfy { cells($0) == cells(lines[0]) }, "\(block)")
        }
        #expect(markdown.contains("Storage \\| injected \\| cells"))
        // Link, raw HTML, emphasis and code are text, not markup.
        #expect(markdown.contains("\\[click\\](javascript:alert(1)) \\<img src=x onerror=alert(1)\\> \\*bold\\* \\`code\\`"), "\(markdown)")
        #expect(!markdown.replacingOccurrences(of: "\\<", with: "").contains("<img"), "no unescaped HTML")
    }

    @Test func finding09_anImporterErrorQuotingAHostileFieldIsPrintable() {
        let bad = Self.header + "\n" + "11/18/2026,\"12\u{1B}]0;PWNED\u{07}\u{9B}2J\r\nforged\u{202E}\",GBP,Storage,S,M,rg,/x,r,,Usage\n"
        do {
            _ = try CostFileImporter.parse(Array(bad.utf8), file: "bad.csv", basis: .actual, skipBadRows: false)
            Issue.record("the amount is not a number")
        } catch {
            let message = error.description
            #expect(message.hasPrefix("bad.csv:2: Cost: '12"), "\(message)")
            #expect(Self.controls(in: message, allowing: []).isEmpty, "\(message.debugDescription)")
            #expect(!message.contains("PWNED"), "an OSC's text is not shown: \(message)")
        }
    }
}
