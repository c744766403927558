import Foundation
import QLPCore
import Testing

@testable import QLPReport

/// The four formats say the same thing, and say it in their own rules.
@Suite struct ReportRendererTests {
    typealias B = FinanceReportBuilderTests

    func report() throws -> FinanceReport {
        var rows = B.steady
        rows.append(B.row(B.day(2026, 11, 18), "Azure AI Services", "300", rg: "rg-ai"))
        rows.append(B.row(B.day(2026, 11, 17), "Storage", "1.5", rg: "rg, with \"quotes\"", tags: ["team": "data"]))
        return try FinanceReportBuilder(
            plan: B.plan, period: .week(ISOWeek(year: 2026, week: 47)!), today: B.day(2026, 11, 26),
            generatedAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
        .build(ReportInput(records: rows, source: "test rows", basis: .actual, rowsRead: rows.count, skipped: ["x.csv:9: Cost: 'abc'"]))
    }

    static let schemaPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/report-schema.json").standardized.path

    @Test func jsonFollowsTheDocumentedSchema() throws {
        let schema = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.schemaPath))) as? [String: Any])
        let json = ReportRenderer.render(try report(), as: .json)
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let problems = SchemaCheck.violations(of: value, against: schema)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // The checker itself catches drift.
        var broken = try #require(value as? [String: Any])
        broken["surprise"] = 1
        broken["credits"] = nil
        #expect(SchemaCheck.violations(of: broken, against: schema).count == 2)
    }

    @Test func jsonMoneyIsPenniesInTheBudgetCurrency() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(ReportRenderer.render(try report(), as: .json).utf8)) as? [String: Any])
        let credits = try #require(object["credits"] as? [String: Any])
        let total = try #require(credits["total"] as? [String: Any])
        #expect((total["used"] as? NSNumber)?.decimalValue == Decimal(string: "1891.5"))  // 53 × £30 + £300 + £1.50
        #expect(object["currency"] as? String == "GBP")
        #expect(object["schema_version"] as? Int == FinanceReport.schemaVersion)
    }

    @Test func csvIsRFC4180AndCarriesTheSameFigures() throws {
        let csv = ReportRenderer.render(try report(), as: .csv)
        #expect(csv.hasPrefix("section,item,metric,value,unit\r\n"))
        #expect(csv.hasSuffix("\r\n"))
        let rows = Self.parseCSV(csv)
        #expect(rows.allSatisfy { $0.count == 5 }, "every record has five fields")
        // The quoted resource group survives the round trip.
        #expect(rows.contains { $0[0] == "resource_group" && $0[1] == "rg, with \"quotes\"" && $0[2] == "current" && $0[3] == "1.50" })
        #expect(rows.contains { $0 == ["credits", "Total", "used", "1891.50", "GBP"] })
        #expect(rows.contains { $0 == ["monthly", "alert 80%", "reached_on", "2026-11-18", "date"] })
        #expect(rows.contains { $0[0] == "quality" && $0[3] == "x.csv:9: Cost: 'abc'" })
    }

    @Test func markdownTablesAndTheTerminalTableShareTheirWords() throws {
        let r = try report()
        let markdown = ReportRenderer.render(r, as: .markdown)
        let table = ReportRenderer.render(r, as: .table)
        #expect(markdown.hasPrefix("# QuantumLayer Platform spend, week 2026-W47 (16 Nov 2026 to 22 Nov 2026)"))
        #expect(markdown.contains("| Bucket | Allocation | Used | Used % | Remaining | Burn/day | Needed/day | Runs out |"))
        #expect(markdown.contains("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"))
        #expect(markdown.contains("rg, with \"quotes\""))
        // Every Markdown table row has as many cells as its header.
        for block in markdown.components(separatedBy: "\n\n") where block.hasPrefix("|") {
            let lines = block.split(separator: "\n")
            let width = lines[0].filter { $0 == "|" }.count
            #expect(lines.allSatisfy { $0.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == width })
        }
        for phrase in [
            "Month to date £961.50 of £1,000.00 (96.2%): past the 95% alert.", "Skipped: x.csv:9: Cost: 'abc'",
            "Unmapped spend (counted in the total, in no bucket): £0.00.",
        ] {
            #expect(markdown.contains(phrase), "\(phrase)")
            #expect(table.contains(phrase), "\(phrase)")
        }
        // Columns line up: every credit row puts its allocation in the same place.
        let creditRows = table.split(separator: "\n").filter {
            $0.hasPrefix("Compute (AKS)") || $0.hasPrefix("Azure OpenAI") || $0.hasPrefix("Monitoring & DevOps")
        }
        let ends = Set(creditRows.map { row in row.distance(from: row.startIndex, to: row.range(of: ".00")!.upperBound) })
        #expect(creditRows.count == 3 && ends.count == 1, "columns do not line up:\n\(table)")
        #expect(ReportRenderer.render(r, as: .table, money: MoneyFormat(symbolOverride: "GBP ")).contains("GBP 2,000.00"))
    }

    /// A deliberately small RFC 4180 reader for the round trip.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text)
        var i = 0
        chars.append("\n")
        while i < chars.count - 1 {
            let c = chars[i]
            if quoted {
                if c == "\"" && chars[i + 1] == "\"" {
                    field.append("\"")
                    i += 1
                } else if c == "\"" {
                    quoted = false
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\r\n" || c == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(c)
            }
            i += 1
        }
        return rows
    }
}
