import Foundation
import QLPCore
import Testing

@testable import QLPReport

/// Issue 14, finding 14: the CSV report opens in a spreadsheet, where a cell
/// starting with = + - @ (or a tab or CR) is a formula. Text cells get a
/// leading `'` (OWASP's CSV injection advice); figures stay numbers.
@Suite struct CSVFormulaInjectionTests {
    typealias B = FinanceReportBuilderTests

    static let formulas = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\tTabbed", "\rReturn"]

    @Test func finding14_textCellsThatStartAFormulaAreEscapedFiguresAreNot() throws {
        let day = B.day(2026, 11, 18)
        var rows = B.steady
        for (index, name) in Self.formulas.enumerated() { rows.append(B.row(day, name, "\(index + 1)", rg: name)) }
        // A refund: a negative figure in the value column.
        rows.append(B.row(day, "Storage", "-12.30", rg: "rg-refund"))
        let report = try FinanceReportBuilder(plan: B.plan, period: .week(ISOWeek(year: 2026, week: 47)!), today: B.day(2026, 11, 26))
            .build(ReportInput(records: rows, source: "=cmd()", basis: .actual, rowsRead: rows.count))
        let csv = ReportRendererTests.parseCSV(ReportRenderer.render(report, as: .csv))

        let items = Set(csv.filter { $0[0] == "service" || $0[0] == "resource_group" }.map { $0[1] })
        for name in ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)"] {
            #expect(items.contains("'" + name), "\(name) in \(items.sorted())")
            #expect(!items.contains(name))
        }
        // A tab or CR first: escaped too (and made printable).
        #expect(items.contains("' Tabbed"), "\(items.sorted())")
        #expect(items.contains("'?Return"), "\(items.sorted())")
        #expect(csv.contains { $0[2] == "source" && $0[3] == "'=cmd()" })
        // Figures are numbers a sum counts: a refund stays -12.30.
        #expect(
            csv.contains { $0[0] == "resource_group" && $0[1] == "rg-refund" && $0[2] == "current" && $0[3] == "-12.30" },
            "\(csv.filter { $0[1] == "rg-refund" })")
        // Nothing qlp writes itself is escaped.
        #expect(csv.contains { $0 == ["credits", "Total", "allocation", "5000.00", "GBP"] })
    }
}
