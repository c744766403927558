import Foundation
import QLPCore
import QLPReport
import Testing

/// For every real export in Fixtures/costs, the report's figures against
/// totals recomputed here from the raw rows with ReferenceCSV, which shares
/// no code with the importer.
@Suite struct ReportFixtureTotalsTests {
    /// Files are in USD: a USD plan whose credit covers them, so every row counts.
    static let plan = BudgetPlan(
        currency: .usd, total: 5000,
        creditPeriod: DayRange(CivilDate(year: 2023, month: 1, day: 1)!, CivilDate(year: 2025, month: 12, day: 31)!)!,
        billingTimeZone: "UTC", monthly: MonthlyBudget(amount: 1000, alertThresholds: [80, 95]),
        allocations: CreditCategory.allCases.map { CategoryAllocation(category: $0, amount: 1000, services: []) },
        atlasCredits: nil)

    struct Expected {
        var azure: Decimal = 0
        var credits: Decimal = 0
        var byService: [String: Decimal] = [:]
        var byProvider: [String: Decimal] = [:]
        var days: [String] = []
    }

    /// The plain second reading: which column is which, then sums.
    static func expected(_ reference: ReferenceCSV) -> Expected {
        let focus = reference.header.contains("BilledCost")
        let amounts = reference.column(focus ? "BilledCost" : "Cost") ?? []
        let services = reference.column(focus ? "ServiceName" : "MeterCategory") ?? []
        let providers = focus ? (reference.column("ProviderName") ?? []) : amounts.map { _ in "Microsoft" }
        let kinds = reference.column(focus ? "ChargeCategory" : "ChargeType") ?? []
        let days = reference.column(focus ? "ChargePeriodStart" : "Date") ?? []
        var e = Expected()
        for i in amounts.indices {
            let amount = ReferenceCSV.decimal(amounts[i])
            e.days.append(ReferenceCSV.isoDay(days[i]))
            guard providers[i] == "Microsoft" else {
                e.byProvider[providers[i], default: 0] += amount
                continue
            }
            if kinds[i] == "Credit" || kinds[i] == "Refund" {
                e.credits += amount
            } else {
                e.azure += amount
                e.byService[services[i], default: 0] += amount
            }
        }
        return e
    }

    @Test(arguments: CostFixtures.csvFiles)
    func reportAgreesToThePenny(_ name: String) throws {
        let reference = try ReferenceCSV(contentsOf: CostFixtures.path(name))
        let want = Self.expected(reference)
        let imported = try CostFixtures.load(name)
        let days = want.days.compactMap { CivilDate(iso8601: $0) }
        let period = ReportPeriod.custom(
            DayRange(
                days.min() ?? CivilDate(year: 2024, month: 9, day: 1)!,
                days.max() ?? CivilDate(year: 2024, month: 9, day: 30)!)!)
        let report = try FinanceReportBuilder(plan: Self.plan, period: period, today: CivilDate(year: 2026, month: 11, day: 26)!)
            .build(ReportInput(records: imported.records, source: name, basis: .actual, rowsRead: imported.rowCount))

        func penny(_ d: Decimal) -> Decimal { d.rounded(scale: 2) }
        #expect(report.quality.rowsRead == reference.rows.count)
        #expect(penny(report.services.currentTotal) == penny(want.azure))
        #expect(penny(report.creditTotal.used) == penny(want.azure), "credit used")
        // Every named service line is that service's rows; Others is the rest.
        var named: Decimal = 0
        for line in report.services.lines where line.name != "Others" {
            #expect(penny(line.current) == penny(want.byService[line.name] ?? -1), "\(name): \(line.name)")
            named += line.current
        }
        let others = report.services.lines.first { $0.name == "Others" }?.current ?? 0
        #expect(penny(others) == penny(want.azure - named))
        #expect(penny(report.quality.creditsApplied) == penny(want.credits))
        #expect(
            Dictionary(uniqueKeysWithValues: report.quality.otherProviders.map { ($0.provider, penny($0.amount)) })
                == want.byProvider.mapValues(penny))
        // The JSON a spreadsheet or script reads carries the same total.
        let json = try JSONSerialization.jsonObject(with: Data(ReportRenderer.render(report, as: .json).utf8)) as? [String: Any]
        let byService = json?["by_service"] as? [String: Any]
        #expect((byService?["current_total"] as? NSNumber)?.decimalValue == penny(want.azure))
    }
}
