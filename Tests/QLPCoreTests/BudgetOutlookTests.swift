import Foundation
import Testing

@testable import QLPCore

private func d(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))! }
private func day(_ text: String) -> CivilDate { CivilDate(iso8601: text)! }

/// £5,000 in five buckets from 1 Oct 2026 to `creditExpiry`; £1,000 a month.
private func plan(creditStart: String = "2026-10-01", creditExpiry: String = "2027-09-30") -> BudgetPlan {
    BudgetPlan(
        currency: .gbp, total: d("5000"),
        creditPeriod: DayRange(day(creditStart), day(creditExpiry))!,
        billingTimeZone: "Europe/London",
        monthly: MonthlyBudget(amount: d("1000"), alertThresholds: [d("80"), d("95")]),
        allocations: [
            CategoryAllocation(category: .compute, amount: d("2000"), services: ["Virtual Machine Scale Sets"]),
            CategoryAllocation(category: .azureOpenAI, amount: d("1500"), services: ["Azure AI Services"]),
            CategoryAllocation(category: .databasesStorage, amount: d("800"), services: ["Storage"]),
            CategoryAllocation(category: .networkingSecurity, amount: d("400"), services: ["Bandwidth"]),
            CategoryAllocation(category: .monitoringDevOps, amount: d("300"), services: ["Log Analytics"]),
        ],
        atlasCredits: nil)
}

/// One row of `amount` on each day from `first` to `last`.
private func daily(_ first: String, _ last: String, _ service: String, _ amount: String) -> [DailyCost] {
    DayRange(day(first), day(last))!.map { DailyCost(day: $0, service: service, amount: d(amount), currency: .gbp) }
}

private func row(_ date: String, _ service: String, _ amount: String) -> DailyCost {
    DailyCost(day: day(date), service: service, amount: d(amount), currency: .gbp)
}

private func outlook(plan: BudgetPlan = plan(), costs: [DailyCost], today: String) -> (BudgetOverview, BudgetOutlook) {
    let overview = BudgetOverview(plan: plan, costs: costs, today: day(today))
    return (overview, BudgetOutlook(overview: overview, plan: plan, costs: costs))
}

extension BudgetOutlook {
    fileprivate func of(_ category: CreditCategory) -> SpendOutlook? { categories.first { $0.category == category }?.outlook }
}

@Suite("Budget outlook")
struct BudgetOutlookTests {
    /// Compute at £10 a day since 1 Oct, £3 so far today (26 Nov); Azure OpenAI at £2 a day.
    static let costs =
        daily("2026-10-01", "2026-11-25", "Virtual Machine Scale Sets", "10")
        + daily("2026-10-01", "2026-11-25", "Azure AI Services", "2")
        + [row("2026-11-26", "Virtual Machine Scale Sets", "3"), row("2026-11-26", "Azure AI Services", "0.50")]

    @Test func projectionAtExpiryStartsFromTheLastCompleteDay() throws {
        let (overview, outlook) = outlook(costs: Self.costs, today: "2026-11-26")
        let compute = try #require(outlook.of(.compute))
        // 56 complete days × £10, today's partial £3 left out.
        #expect(outlook.categories.first?.position == overview.categories.first?.position)
        #expect(compute.spentThroughLastCompleteDay == d("560"))
        // 309 days from 26 Nov 2026 to 30 Sep 2027 inclusive at £10 a day.
        #expect(day("2026-11-25").days(to: day("2027-09-30")) == 309)
        #expect(compute.atExpiry == d("3650"))
        #expect(compute.shortfallAtExpiry == d("1650"))
        #expect(compute.fractionAtExpiry == d("1.825"))
        // Azure OpenAI: 112 + 309 × 2 = 730 of 1,500: lasts.
        let openAI = try #require(outlook.of(.azureOpenAI))
        #expect(openAI.atExpiry == d("730"))
        #expect(openAI.shortfallAtExpiry == 0)
        // An idle bucket projects what it has spent.
        #expect(outlook.of(.databasesStorage)?.atExpiry == 0)
        // The whole credit: 672 + 309 × 12.
        #expect(outlook.credit.atExpiry == d("4380"))
        #expect(outlook.credit.allocation == d("5000"))
    }

    @Test func projectionAndExhaustionAgreeOnWhetherTheAllocationLasts() throws {
        let (_, outlook) = outlook(costs: Self.costs, today: "2026-11-26")
        for entry in outlook.categories {
            let atExpiry = try #require(entry.outlook.atExpiry)
            switch entry.position.exhaustion {
            case .projected(_, let beforeExpiry):
                #expect(beforeExpiry == (atExpiry >= entry.outlook.allocation), "\(entry.category)")
            case .notAtCurrentRate:
                #expect(atExpiry == entry.position.spent)
            default:
                Issue.record("unexpected exhaustion for \(entry.category): \(entry.position.exhaustion)")
            }
        }
    }

    @Test func monthEndPerCategoryIsLinearOverCompleteDays() throws {
        let extra = [row("2026-11-20", "Event Grid", "5"), row("2026-11-26", "Event Grid", "1")]
        let (overview, outlook) = outlook(costs: Self.costs + extra, today: "2026-11-26")
        let compute = try #require(outlook.of(.compute))
        // November 1-25: £250 over 25 complete days, scaled to 30; today counts in the month so far.
        #expect(compute.monthToDate == d("253"))
        #expect(compute.monthEnd?.amount == d("300"))
        #expect(compute.monthEnd?.basisDays == 25)
        #expect(outlook.unmapped.monthToDate == d("6"))
        #expect(outlook.unmapped.monthEnd?.amount == d("6"))
        // The buckets and the unmapped spend add up to the monthly budget's projection.
        let sum = outlook.categories.compactMap(\.outlook.monthEnd?.amount).reduce(0, +) + (outlook.unmapped.monthEnd?.amount ?? 0)
        let monthly = try #require(overview.monthly.projection?.amount)
        #expect(sum.rounded(scale: 10) == monthly.rounded(scale: 10))
        #expect(outlook.credit.monthToDate == overview.monthly.spentToDate)
    }

    @Test func unmappedBurnIsTheCreditsBeyondTheBuckets() throws {
        let extra = daily("2026-11-19", "2026-11-25", "Event Grid", "0.70")
        let (_, outlook) = outlook(costs: Self.costs + extra, today: "2026-11-26")
        // 7 days × £0.70 = £4.90 spent through yesterday; £0.70 a day for 309 days more.
        #expect(outlook.unmapped.spentThroughLastCompleteDay == d("4.9"))
        #expect(outlook.unmapped.atExpiry == d("4.9") + d("0.7") * 309)
        #expect(outlook.unmapped.fractionAtExpiry == nil)
    }

    @Test func afterExpiryTheProjectionIsWhatWasSpent() throws {
        let short = plan(creditExpiry: "2026-10-31")
        let (overview, outlook) = outlook(plan: short, costs: Self.costs, today: "2026-11-26")
        // October only: 31 × £10.
        #expect(overview.categories.first?.position.spent == d("310"))
        #expect(outlook.of(.compute)?.atExpiry == d("310"))
        #expect(outlook.of(.compute)?.spentThroughLastCompleteDay == d("310"))
        // The month is not bounded by the credit: November still projects.
        #expect(outlook.of(.compute)?.monthEnd?.amount == d("300"))
    }

    @Test func onTheCreditsFirstDayNothingIsProjected() {
        let costs = [row("2026-10-01", "Virtual Machine Scale Sets", "4")]
        let (_, outlook) = outlook(costs: costs, today: "2026-10-01")
        #expect(outlook.of(.compute)?.atExpiry == nil)
        #expect(outlook.of(.compute)?.fractionAtExpiry == nil)
        #expect(outlook.of(.compute)?.spentThroughLastCompleteDay == 0)
        #expect(outlook.of(.compute)?.monthToDate == d("4"))
        #expect(outlook.of(.compute)?.monthEnd == nil)
        #expect(outlook.credit.atExpiry == nil)
    }

    @Test func projectAtExpiryOnTheLastDayAddsOneDay() {
        let period = DayRange(day("2026-10-01"), day("2026-10-31"))!
        let rate = BurnRate(perDay: d("10"), days: 7)
        // Spent £303 through today (30 days × £10 + £3 today): £300 + one more day.
        #expect(
            SpendOutlook.projectAtExpiry(
                spentInPeriod: d("303"), spentToday: d("3"), rate: rate, today: day("2026-10-31"),
                period: period) == d("310"))
        // The day after expiry: final.
        #expect(
            SpendOutlook.projectAtExpiry(
                spentInPeriod: d("310"), spentToday: 0, rate: rate, today: day("2026-11-01"),
                period: period) == d("310"))
        // Before the credit starts there is nothing to project from.
        #expect(
            SpendOutlook.projectAtExpiry(
                spentInPeriod: 0, spentToday: 0, rate: nil, today: day("2026-09-20"),
                period: period) == nil)
    }
}
