import Foundation
import QLPCore
import Testing

@testable import QLPReport

/// The report's computations on hand-built rows.
@Suite struct FinanceReportBuilderTests {
    static func d(_ s: String) -> Decimal { Decimal(string: s)! }
    static func day(_ y: Int, _ m: Int, _ dd: Int) -> CivilDate { CivilDate(year: y, month: m, day: dd)! }

    static let plan = BudgetPlan(
        currency: .gbp, total: d("5000"),
        creditPeriod: DayRange(day(2026, 10, 1), day(2027, 9, 30))!, billingTimeZone: "Europe/London",
        monthly: MonthlyBudget(amount: d("1000"), alertThresholds: [80, 95]),
        allocations: [
            CategoryAllocation(category: .compute, amount: d("2000"), services: ["Virtual Machine Scale Sets"]),
            CategoryAllocation(category: .azureOpenAI, amount: d("1500"), services: ["Azure AI Services"]),
            CategoryAllocation(category: .databasesStorage, amount: d("800"), services: ["Storage"]),
            CategoryAllocation(category: .networkingSecurity, amount: d("400"), services: ["Bandwidth"]),
            CategoryAllocation(category: .monitoringDevOps, amount: d("300"), services: ["Log Analytics"]),
        ],
        atlasCredits: nil, exchangeRates: ["USD": d("0.8")], reportTag: "team")

    static func row(
        _ day: CivilDate, _ service: String, _ amount: String, rg: String = "rg-app", tags: [String: String] = [:],
        category: ChargeCategory = .usage, provider: String = "Microsoft", currency: Currency = .gbp,
        meter: String? = nil
    ) -> CostRecord {
        CostRecord(
            day: day, amount: d(amount), currency: currency, service: service, resourceGroup: rg, tags: tags,
            chargeCategory: category, provider: provider, meterName: meter)
    }

    /// £30 a day from 1 October: VMSS 20, AI 10.
    static var steady: [CostRecord] {
        DayRange(day(2026, 10, 1), day(2026, 11, 25))!.flatMap { dd in
            [row(dd, "Virtual Machine Scale Sets", "20", tags: ["team": "platform"]), row(dd, "Azure AI Services", "10", rg: "rg-ai")]
        }
    }

    func build(
        _ records: [CostRecord], period: ReportPeriod = .week(ISOWeek(year: 2026, week: 47)!),
        today: CivilDate = day(2026, 11, 26)
    ) throws -> FinanceReport {
        try FinanceReportBuilder(plan: Self.plan, period: period, today: today, generatedAt: Date(timeIntervalSince1970: 0))
            .build(ReportInput(records: records, source: "test", basis: .actual, rowsRead: records.count))
    }

    @Test func positionsAreTheDashboardsAsOfTheDayAfterThePeriod() throws {
        let report = try build(Self.steady)
        #expect(report.asOf == Self.day(2026, 11, 23))
        let expected = BudgetOverview(
            plan: Self.plan, costs: Self.steady.filter { $0.day < Self.day(2026, 11, 23) }.map(\.dailyCost),
            today: Self.day(2026, 11, 23))
        #expect(report.creditTotal.used == expected.credit.spent)
        #expect(report.creditTotal.used == Self.d("1590"))  // £30 x 53 days, 1 Oct to 22 Nov
        for (line, position) in zip(report.credits, expected.categories.map(\.position)) {
            #expect(line.used == position.spent)
            #expect(line.exhaustion == position.exhaustion)
        }
        #expect(report.creditTotal.burnRate == 30)
        // £5,000 − £1,590 over the 312 days from 23 Nov 2026 to 30 Sep 2027.
        #expect(report.creditTotal.requiredRate == (Self.d("5000") - Self.d("1590")) / 312)
    }

    @Test func monthlyCrossingDatesAndAlertsFiredInThePeriod() throws {
        // £30 a day crosses £800 (80%) on day 27 and £950 (95%) on day 32: never in November.
        var rows = Self.steady
        // A spike on 18 November: MTD after 17 days is £510, +£300 = £840 ≥ £800.
        rows.append(Self.row(Self.day(2026, 11, 18), "Azure AI Services", "300", rg: "rg-ai"))
        let report = try build(rows)
        let crossings = Dictionary(uniqueKeysWithValues: report.monthly.crossings.map { ($0.threshold, $0.day) })
        #expect(crossings[80] == Self.day(2026, 11, 18))
        #expect(crossings[95] == Self.day(2026, 11, 22))  // 840 + 4 × 30 = 960 ≥ 950 on the 22nd
        #expect(crossings[100] == Optional<CivilDate>.none)
        #expect(report.alertsFired.map(\.day) == [Self.day(2026, 11, 18), Self.day(2026, 11, 18), Self.day(2026, 11, 22)])
        #expect(report.alertsFired.map(\.kind) == ["actual", "forecast", "actual"])
        #expect(report.monthly.spentToDate == Self.d("960"))  // 22 x £30 + £300
    }

    @Test func weekOverWeekTopNineOthersAndUntaggedLast() throws {
        var rows: [CostRecord] = []
        for i in 1...12 {
            for dd in ISOWeek(year: 2026, week: 47)!.days {
                rows.append(Self.row(dd, "Service \(i)", "\(i)", tags: i % 2 == 0 ? ["Team": "t\(i % 3)"] : [:]))
            }
            for dd in ISOWeek(year: 2026, week: 46)!.days { rows.append(Self.row(dd, "Service \(i)", "1")) }
        }
        let report = try build(rows)
        #expect(report.services.lines.count == 10)
        #expect(report.services.lines.prefix(3).map(\.name) == ["Service 12", "Service 11", "Service 10"])
        let others = try #require(report.services.lines.last)
        #expect(others.name == "Others")
        #expect(others.current == Self.d("42"))  // 7 days x (1 + 2 + 3)
        #expect(report.services.currentTotal == Self.d("546"))  // 7 x (1 + ... + 12)
        #expect(report.services.previousTotal == Self.d("84"))
        #expect(report.services.risers.map(\.name) == ["Service 12", "Service 11", "Service 10"])
        let tags = try #require(report.tags)
        #expect(tags.lines.last?.name == "Untagged")
        #expect(tags.lines.last?.current == Self.d("252"))  // the odd services
        #expect(tags.lines.last?.previous == Self.d("84"))
        // Tag keys match without regard to case ("Team" rows, report_tag "team").
        #expect(Set(tags.lines.map(\.name)) == ["t0", "t1", "t2", "Untagged"])
    }

    @Test func anomalyRulesAsAzureCostCli() throws {
        var rows: [CostRecord] = []
        let week = ISOWeek(year: 2026, week: 47)!
        for dd in DayRange(Self.day(2026, 11, 1), Self.day(2026, 11, 22))! {
            rows.append(Self.row(dd, "Steady", "5"))
            if dd < Self.day(2026, 11, 19) { rows.append(Self.row(dd, "Stops", "4")) }
            if dd >= Self.day(2026, 11, 18) { rows.append(Self.row(dd, "Starts", "3")) }
            if dd >= Self.day(2026, 11, 10) { rows.append(Self.row(dd, "Grows", "\(dd.day)")) }
            rows.append(Self.row(dd, "Jumps", dd == Self.day(2026, 11, 20) ? "9" : "4"))
        }
        let report = try build(rows, period: .week(week))
        let found = report.anomalies.filter { $0.dimension == "service" }.map { "\($0.kind.rawValue) \($0.name) \($0.day.day)" }
        #expect(found.contains("new cost Starts 18"))
        #expect(found.contains("removed cost Stops 19"))
        #expect(found.contains("daily jump Jumps 20"))  // 4 -> 9: +125% and +£5
        #expect(found.contains("steady growth Grows 22"))
        #expect(!found.contains { $0.hasSuffix("Steady") || $0.contains("Steady ") })
        #expect(!found.contains("daily jump Jumps 21"), "a fall is not a jump")
    }

    @Test func foreignCurrencyIsRefusedWithoutARateAndConvertedWithOne() throws {
        let usd = [Self.row(Self.day(2026, 11, 17), "Storage", "10", currency: .usd)]
        #expect(try build(usd).services.currentTotal == 8)  // USD rate 0.8 in the plan
        let eur = [Self.row(Self.day(2026, 11, 17), "Storage", "10", currency: Currency(code: "EUR"))]
        do {
            _ = try build(eur)
            Issue.record("EUR has no rate: must be refused")
        } catch {
            #expect("\(error)".contains("test"))
            #expect("\(error)".contains("EUR"))
            #expect("\(error)".contains("GBP"))
            #expect("\(error)".contains("budget.exchange_rates.EUR"))
        }
    }

    @Test func otherCloudsAndCreditRowsAreShownApartNeverMixedIn() throws {
        let rows =
            Self.steady + [
                Self.row(Self.day(2026, 11, 17), "Amazon EC2", "99", provider: "AWS"),
                Self.row(Self.day(2026, 11, 17), "Azure AI Services", "-25", category: .credit),
            ]
        let report = try build(rows)
        #expect(report.creditTotal.used == Self.d("1590"))
        #expect(report.quality.otherProviders.map(\.provider) == ["AWS"])
        #expect(report.quality.otherProviders.first?.amount == 99)
        #expect(report.quality.creditsApplied == -25)
    }

    @Test func modelSpendFromMeterNamesOrASayingWhyNot() throws {
        let week = ISOWeek(year: 2026, week: 47)!.days.first
        let metered = [
            Self.row(week, "Azure AI Services", "7", meter: "gpt-4-turbo-0409 Input Tokens"),
            Self.row(week, "Azure AI Services", "2", meter: "gpt-35-turbo Output Tokens"),
            Self.row(week, "Azure AI Services", "0.5", meter: "text-embedding-ada-002 Tokens"),
        ]
        let split = try build(metered).modelSpend
        #expect(split.lines.map(\.model) == ["GPT-4", "GPT-3.5", "Embeddings", "Ollama (local models)"])
        #expect(split.lines.map(\.amount) == [7, 2, Self.d("0.5"), 0])
        let unsplit = try build(Self.steady).modelSpend
        #expect(unsplit.lines.map(\.model) == ["Ollama (local models)"])
        #expect(unsplit.note.contains("no meter detail"))
    }
}
