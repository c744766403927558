import Foundation
import QLPCore
import Testing

@testable import QLPReport

/// Every section of a report reads the same days, a period still running is
/// compared like for like, and a period with no data is refused.
@Suite struct ReportDaysTests {
    typealias T = FinanceReportBuilderTests
    static func day(_ y: Int, _ m: Int, _ dd: Int) -> CivilDate { CivilDate(year: y, month: m, day: dd)! }

    func build(_ records: [CostRecord], period: ReportPeriod, today: CivilDate) throws(ReportError) -> FinanceReport {
        try FinanceReportBuilder(plan: T.plan, period: period, today: today, generatedAt: Date(timeIntervalSince1970: 0))
            .build(ReportInput(records: records, source: "test", basis: .actual, rowsRead: records.count))
    }

    /// Issue 14 finding 16: rows dated today or later (an export's forecast
    /// rows, a clock ahead) were counted by service but not by credits,
    /// anomalies or model spend.
    @Test func finding16_everySectionUsesTheSameDays() throws {
        var rows = T.steady  // £30 a day to 25 November
        for dd in DayRange(Self.day(2026, 11, 26), Self.day(2026, 11, 29))! {
            rows.append(T.row(dd, "Azure AI Services", "50", rg: "rg-ai", meter: "gpt-4 input tokens"))
        }
        rows.append(T.row(Self.day(2026, 11, 24), "Azure AI Services", "5", rg: "rg-ai", meter: "gpt-4 input tokens"))
        let report = try build(rows, period: .week(ISOWeek(year: 2026, week: 48)!), today: Self.day(2026, 11, 26))
        // 23 to 25 November: £30 a day and the £5 row.
        #expect(report.services.currentTotal == 95, "by service counted \(report.services.currentTotal)")
        #expect(report.resourceGroups?.currentTotal == 95)
        #expect(report.tags?.currentTotal == 95)
        #expect(report.modelSpend.lines.first { $0.model == "GPT-4" }?.amount == 5)
        #expect(report.creditTotal.used == T.steady.reduce(0) { $0 + $1.amount } + 5)
        #expect(report.quality.rowsAfterLastCompleteDay == 4)
        #expect(report.quality.amountAfterLastCompleteDay == 200)
        #expect(ReportRenderer.render(report, as: .markdown).contains("4 rows dated 26 Nov 2026 or later"))
    }

    @Test func periodInProgressComparesLikeForLike() throws {
        // Three days of December against the whole of November was -90%.
        let rows = DayRange(Self.day(2026, 10, 1), Self.day(2026, 12, 3))!.map { T.row($0, "Storage", "30") }
        let report = try build(rows, period: .month(year: 2026, month: 12), today: Self.day(2026, 12, 4))
        #expect(report.services.currentTotal == 90)
        #expect(report.services.previousTotal == 90, "compared with \(report.services.previousTotal)")
        #expect(report.services.fallers.isEmpty)
        #expect(report.comparedDays == DayRange(Self.day(2026, 12, 1), Self.day(2026, 12, 3)))
        #expect(report.previousComparedDays == DayRange(Self.day(2026, 11, 1), Self.day(2026, 11, 3)))
        #expect(report.isInProgress)
        let text = ReportRenderer.render(report, as: .table)
        #expect(text.contains("in progress"), "\(text)")
        #expect(text.contains("1 Nov 2026 to 3 Nov 2026"), "\(text)")

        // A week in progress: Monday to Wednesday against last Monday to Wednesday.
        let week = try build(rows, period: .week(ISOWeek(year: 2026, week: 48)!), today: Self.day(2026, 11, 26))
        #expect(week.previousComparedDays == DayRange(Self.day(2026, 11, 16), Self.day(2026, 11, 18)))
        #expect(week.services.previousTotal == 90)

        // A finished period compares whole periods, as before.
        let november = try build(rows, period: .month(year: 2026, month: 11), today: Self.day(2026, 12, 4))
        #expect(!november.isInProgress)
        #expect(november.services.currentTotal == 900 && november.services.previousTotal == 930)
    }

    @Test func aPeriodAfterTodayIsRefusedNamingTheDataRange() throws {
        for period in [ReportPeriod.month(year: 2027, month: 5), .week(ISOWeek(year: 2026, week: 49)!)] {
            do {
                let report = try build(T.steady, period: period, today: Self.day(2026, 11, 26))
                Issue.record("\(period) gave a report of \(report.services.currentTotal)")
            } catch {
                #expect(error.description.contains("there is data from 2026-10-01 to 2026-11-25"), "\(error)")
                #expect(error.description.contains("\(period)"), "\(error)")
            }
        }
    }

    @Test func aPeriodWhollyOutsideTheDataIsRefused() throws {
        for period in [ReportPeriod.week(ISOWeek(year: 2020, week: 1)!), .month(year: 2026, month: 9)] {
            do {
                let report = try build(T.steady, period: period, today: Self.day(2026, 11, 26))
                Issue.record("\(period) gave a report of \(report.services.currentTotal)")
            } catch {
                #expect(error.description.contains("there is data from 2026-10-01 to 2026-11-25"), "\(error)")
            }
        }
        // Partly covered: a report, with a note that the data starts inside it.
        let partial = try build(T.steady, period: .week(ISOWeek(year: 2026, week: 40)!), today: Self.day(2026, 11, 26))
        #expect(partial.services.currentTotal == 120)
    }
}
