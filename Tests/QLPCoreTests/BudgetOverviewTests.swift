import Foundation
import Testing

@testable import QLPCore

private func d(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))! }
private func day(_ text: String) -> CivilDate { CivilDate(iso8601: text)! }

/// The platform's plan: £5,000 in five buckets, £1,000 a month with 80% and 95% alerts.
private func plan(creditStart: String = "2026-10-01", creditExpiry: String = "2027-09-30") -> BudgetPlan {
    BudgetPlan(
        currency: .gbp, total: d("5000"),
        creditPeriod: DayRange(day(creditStart), day(creditExpiry))!,
        billingTimeZone: "Europe/London",
        monthly: MonthlyBudget(amount: d("1000"), alertThresholds: [d("95"), d("80")]),
        allocations: [
            CategoryAllocation(category: .compute, amount: d("2000"), services: ["Virtual Machine Scale Sets", "Virtual Machines"]),
            CategoryAllocation(category: .azureOpenAI, amount: d("1500"), services: ["Azure AI Services", "Cognitive Services"]),
            CategoryAllocation(category: .databasesStorage, amount: d("800"), services: ["Storage", "Azure Cosmos DB"]),
            CategoryAllocation(category: .networkingSecurity, amount: d("400"), services: ["Bandwidth", "Key Vault"]),
            CategoryAllocation(category: .monitoringDevOps, label: "Monitoring", amount: d("300"), services: ["Log Analytics"]),
        ],
        atlasCredits: nil)
}

private func row(_ date: String, _ service: String, _ amount: String) -> DailyCost {
    DailyCost(day: day(date), service: service, amount: d(amount), currency: .gbp)
}

/// One row of `amount` on each day from `first` to `last`.
private func daily(_ first: String, _ last: String, _ service: String, _ amount: String) -> [DailyCost] {
    DayRange(day(first), day(last))!.map { DailyCost(day: $0, service: service, amount: d(amount), currency: .gbp) }
}

extension BudgetOverview {
    fileprivate func position(_ category: CreditCategory) -> CreditPosition? {
        categories.first { $0.category == category }?.position
    }
}

@Suite("Budget overview")
struct BudgetOverviewTests {
    // MARK: Spend per bucket and in total

    @Test func spendPerBucketAndUnmapped() throws {
        let costs = [
            row("2026-09-30", "Virtual Machine Scale Sets", "50"),  // before the credit starts
            row("2026-10-01", "Virtual Machine Scale Sets", "100.00"),
            row("2026-10-15", "Azure AI Services", "200.50"),
            row("2026-11-20", "Storage", "30.25"),
            row("2026-11-25", "Bandwidth", "4.75"),
            row("2026-11-25", "Azure Bastion", "12.00"),
            row("2026-11-24", "Azure Bastion", "3.00"),
            row("2026-11-25", "Power BI Embedded", "20.00"),
            row("2026-11-26", "Log Analytics", "1.10"),  // today, partial
            row("2026-11-27", "Virtual Machine Scale Sets", "999"),  // after today
        ]
        let overview = BudgetOverview(plan: plan(), costs: costs, today: day("2026-11-26"))

        #expect(
            overview.categories.map(\.category)
                == [.compute, .azureOpenAI, .databasesStorage, .networkingSecurity, .monitoringDevOps])
        #expect(overview.categories.map(\.position.spent) == [d("100"), d("200.50"), d("30.25"), d("4.75"), d("1.10")])
        #expect(overview.categories.map(\.position.allocation) == [d("2000"), d("1500"), d("800"), d("400"), d("300")])
        #expect(
            overview.categories.map(\.position.label)
                == ["Compute (AKS)", "Azure OpenAI", "Databases & Storage", "Networking & Security", "Monitoring"])

        // Unmapped spend is paid by the credits too, and listed by service, largest first.
        #expect(overview.unmapped.spent == d("35"))
        #expect(overview.unmapped.services.map(\.name) == ["Power BI Embedded", "Azure Bastion"])
        #expect(overview.unmapped.services.map(\.spent) == [d("20"), d("15")])

        // 100 + 200.50 + 30.25 + 4.75 + 1.10 + 35
        #expect(overview.credit.spent == d("371.60"))
        #expect(overview.credit.allocation == d("5000"))
        #expect(overview.credit.remaining == d("4628.40"))
        #expect(overview.credit.fractionUsed == d("0.07432"))
        #expect(overview.position(.compute)?.remaining == d("1900"))
        #expect(overview.position(.databasesStorage)?.fractionUsed == d("0.0378125"))

        #expect(overview.rowsOutsideCreditPeriod == 2)
        #expect(overview.latestDataDay == day("2026-11-26"))
        #expect(overview.today == day("2026-11-26"))
        #expect(overview.currency == .gbp)
        #expect(overview.creditPeriod == DayRange(day("2026-10-01"), day("2027-09-30")))

        // November to date: everything in November up to and including today.
        #expect(overview.monthly.month == day("2026-11-01"))
        #expect(overview.monthly.spentToDate == d("71.10"))
    }

    @Test func unmappedServicesWithEqualSpendAreListedByName() {
        let costs = [row("2026-11-20", "Zeta", "5"), row("2026-11-20", "Alpha", "5"), row("2026-11-21", "Mid", "7")]
        let overview = BudgetOverview(plan: plan(), costs: costs, today: day("2026-11-26"))
        #expect(overview.unmapped.services.map(\.name) == ["Mid", "Alpha", "Zeta"])
        #expect(overview.unmapped.spent == d("17"))
        #expect(overview.credit.spent == d("17"))
    }

    @Test func serviceNamesMatchCaseInsensitively() {
        let costs = [
            row("2026-11-20", "virtual machine scale sets", "10"),
            row("2026-11-20", "Virtual Machine Scale Sets", "5"),
            row("2026-11-21", "  AZURE AI SERVICES ", "7"),
            row("2026-11-21", "cognitive services", "1"),
        ]
        let overview = BudgetOverview(plan: plan(), costs: costs, today: day("2026-11-26"))
        #expect(overview.position(.compute)?.spent == d("15"))
        #expect(overview.position(.azureOpenAI)?.spent == d("8"))
        #expect(overview.unmapped.spent == 0)
        #expect(overview.unmapped.services.isEmpty)
    }

    @Test func monthlyBudgetCountsRowsBeforeTheCreditStarted() {
        // Credit from 15 November; a row on 10 November is the month's but not the credit's.
        let costs = [row("2026-11-10", "Storage", "40"), row("2026-11-16", "Storage", "2")]
        let overview = BudgetOverview(
            plan: plan(creditStart: "2026-11-15", creditExpiry: "2027-11-14"), costs: costs,
            today: day("2026-11-20"))
        #expect(overview.credit.spent == d("2"))
        #expect(overview.rowsOutsideCreditPeriod == 1)
        #expect(overview.monthly.spentToDate == d("42"))
    }

    // MARK: Burn rate and exhaustion

    @Test func burnRateIsTheLastSevenCompleteDays() throws {
        let costs = [
            row("2026-10-10", "Virtual Machine Scale Sets", "1000"),
            row("2026-11-18", "Virtual Machine Scale Sets", "0"),  // before the window
            row("2026-11-19", "Virtual Machine Scale Sets", "10"),
            row("2026-11-20", "Virtual Machine Scale Sets", "20"),
            // 21 November: no rows at all, a zero day
            row("2026-11-22", "Virtual Machine Scale Sets", "30"),
            row("2026-11-23", "Virtual Machine Scale Sets", "5.50"),
            row("2026-11-24", "Virtual Machine Scale Sets", "0"),
            row("2026-11-25", "Virtual Machine Scale Sets", "4.50"),
            row("2026-11-26", "Virtual Machine Scale Sets", "500"),  // today: partial, not in the rate
        ]
        let overview = BudgetOverview(plan: plan(), costs: costs, today: day("2026-11-26"))

        let credit = try #require(overview.credit.burnRate)
        #expect(credit == BurnRate(perDay: d("10"), days: 7))  // 70 / 7
        #expect(overview.position(.compute)?.burnRate == BurnRate(perDay: d("10"), days: 7))
        #expect(overview.position(.azureOpenAI)?.burnRate == BurnRate(perDay: 0, days: 7))

        // Spent through 25 November: 1070 (today's 500 is not in the basis).
        // Compute: (2000 - 1070) / 10 = 93 days after 25 Nov = 26 Feb 2027, before expiry.
        #expect(overview.position(.compute)?.exhaustion == .projected(on: day("2027-02-26"), beforeExpiry: true))
        // The whole credit: (5000 - 1070) / 10 = 393 days = 23 Dec 2027, after the 30 Sep 2027 expiry.
        #expect(overview.credit.exhaustion == .projected(on: day("2027-12-23"), beforeExpiry: false))
        // Buckets with no spend never run out at this rate.
        #expect(overview.position(.azureOpenAI)?.exhaustion == .notAtCurrentRate)
        #expect(overview.position(.monitoringDevOps)?.exhaustion == .notAtCurrentRate)
        #expect(overview.credit.spent == d("1570"))
    }

    @Test func creditPeriodOnlyThreeDaysOld() throws {
        let costs = [
            row("2026-11-22", "Storage", "100"),  // the day before the credit starts
            row("2026-11-23", "Storage", "9"),
            row("2026-11-25", "Storage", "6"),
            row("2026-11-26", "Storage", "50"),  // today
        ]
        let overview = BudgetOverview(
            plan: plan(creditStart: "2026-11-23", creditExpiry: "2027-11-22"), costs: costs,
            today: day("2026-11-26"))
        let rate = try #require(overview.credit.burnRate)
        #expect(rate.days == 3)
        #expect(rate.perDay == d("5"))  // (9 + 0 + 6) / 3, not / 7
        #expect(overview.credit.spent == d("65"))
        #expect(overview.rowsOutsideCreditPeriod == 1)
        // (800 - 15) / 5 = 157 days after 25 Nov 2026 = 1 May 2027.
        #expect(overview.position(.databasesStorage)?.exhaustion == .projected(on: day("2027-05-01"), beforeExpiry: true))
    }

    @Test func firstDayOfTheCreditHasNoRate() {
        let costs = [row("2026-10-01", "Storage", "12")]
        let overview = BudgetOverview(plan: plan(), costs: costs, today: day("2026-10-01"))
        #expect(overview.credit.burnRate == nil)
        #expect(overview.credit.exhaustion == .unknown)
        #expect(overview.position(.databasesStorage)?.exhaustion == .unknown)
        #expect(overview.credit.spent == d("12"))
        #expect(overview.monthly.spentToDate == d("12"))
        #expect(overview.monthly.projection == nil)
    }

    @Test func overspentBucketsAreExhaustedOnTheCrossingDay() throws {
        let costs = [
            row("2026-10-05", "Azure AI Services", "900"),
            row("2026-10-06", "Azure AI Services", "600"),  // exactly 1500: used up on the 6th
            row("2026-10-07", "Azure AI Services", "50"),
            row("2026-10-07", "Virtual Machine Scale Sets", "3000"),  // credit: 1550 + 3000 = 4550
            row("2026-10-08", "Virtual Machine Scale Sets", "449.99"),
            row("2026-10-09", "Key Vault", "0.01"),  // 5000.00 exactly on the 9th
            row("2026-10-10", "Key Vault", "100"),
        ]
        let overview = BudgetOverview(plan: plan(), costs: costs, today: day("2026-10-12"))
        let openAI = try #require(overview.position(.azureOpenAI))
        #expect(openAI.exhaustion == .exhausted(on: day("2026-10-06")))
        #expect(openAI.spent == d("1550"))
        #expect(openAI.remaining == d("-50"))
        #expect(openAI.fractionUsed > 1)
        #expect(openAI.fractionUsed.rounded(scale: 4) == d("1.0333"))

        #expect(overview.credit.exhaustion == .exhausted(on: day("2026-10-09")))
        #expect(overview.credit.spent == d("5100"))
        #expect(overview.credit.remaining == d("-100"))
        #expect(overview.credit.fractionUsed == d("1.02"))

        // Compute has 3449.99 of 2000: crossed on the 7th.
        #expect(overview.position(.compute)?.exhaustion == .exhausted(on: day("2026-10-07")))
    }

    // MARK: The monthly budget

    @Test func monthToDateIncludesTodaysPartialRow() {
        let costs = [row("2026-11-10", "Storage", "700"), row("2026-11-26", "Storage", "100")]
        let overview = BudgetOverview(plan: plan(), costs: costs, today: day("2026-11-26"))
        #expect(overview.monthly.spentToDate == d("800"))
        #expect(overview.monthly.state == .crossed(threshold: 80))  // only because today's row counts
        #expect(overview.monthly.thresholds == [d("80"), d("95")])
        #expect(overview.monthly.amount == d("1000"))
        #expect(overview.monthly.fractionUsed == d("0.8"))
    }

    @Test(
        "monthly threshold states",
        arguments: [
            ("799.99", ThresholdState.clear),
            ("800", .crossed(threshold: 80)),
            ("949.90", .crossed(threshold: 80)),
            ("950", .crossed(threshold: 95)),
            ("999.99", .crossed(threshold: 95)),
            ("1000", .exceeded),
            ("1200", .exceeded),
        ])
    func monthlyThresholds(spent: String, state: ThresholdState) {
        let overview = BudgetOverview(plan: plan(), costs: [row("2026-11-02", "Storage", spent)], today: day("2026-11-20"))
        #expect(overview.monthly.state == state)
    }

    @Test("no projection before three complete days", arguments: [1, 2, 3])
    func noProjectionYet(dayOfMonth: Int) throws {
        let today = try #require(CivilDate(year: 2026, month: 11, day: dayOfMonth))
        let costs = daily("2026-11-01", "2026-11-03", "Storage", "50")
        let overview = BudgetOverview(plan: plan(), costs: costs, today: today)
        #expect(overview.monthly.projection == nil)
        #expect(overview.monthly.projectedState == nil)
        #expect(overview.monthly.spentToDate == d("50") * Decimal(dayOfMonth))
    }

    @Test func projectionFromTheFourthDay() throws {
        let costs = [
            row("2026-10-31", "Storage", "500"),  // October: not this month
            row("2026-11-01", "Storage", "10"),
            row("2026-11-02", "Storage", "20"),
            row("2026-11-03", "Storage", "33"),
            row("2026-11-04", "Storage", "1000"),  // today
        ]
        let overview = BudgetOverview(plan: plan(), costs: costs, today: day("2026-11-04"))
        let projection = try #require(overview.monthly.projection)
        #expect(projection.basisDays == 3)
        #expect(projection.daysInMonth == 30)
        #expect(projection.amount == d("630"))  // 63 x 30 / 3
        #expect(overview.monthly.projectedState == .clear)
        #expect(overview.monthly.spentToDate == d("1063"))
        #expect(overview.monthly.state == .exceeded)
    }

    @Test func projectedStateUsesTheThresholds() throws {
        // 90 over three days of a 31-day month: 930, 93% -> crossed(80).
        let costs = daily("2026-12-01", "2026-12-03", "Storage", "30")
        let overview = BudgetOverview(plan: plan(), costs: costs, today: day("2026-12-04"))
        #expect(overview.monthly.projection == MonthEndProjection(amount: d("930"), basisDays: 3, daysInMonth: 31))
        #expect(overview.monthly.projectedState == .crossed(threshold: 80))
        #expect(overview.monthly.state == .clear)
    }

    // MARK: Boundaries

    @Test func firstOfTheMonth() throws {
        let costs =
            [row("2026-11-23", "Storage", "100")]  // outside the 7-day window
            + daily("2026-11-24", "2026-11-30", "Storage", "7")  // the window: 49
            + [row("2026-12-01", "Storage", "5")]  // today
        let overview = BudgetOverview(plan: plan(), costs: costs, today: day("2026-12-01"))
        #expect(overview.monthly.month == day("2026-12-01"))
        #expect(overview.monthly.spentToDate == d("5"))
        #expect(overview.monthly.projection == nil)
        #expect(overview.monthly.state == .clear)
        #expect(overview.credit.burnRate == BurnRate(perDay: d("7"), days: 7))
        #expect(overview.credit.spent == d("154"))
    }

    @Test func newYearsDay() {
        var costs: [DailyCost] = []
        for (n, date) in DayRange(day("2026-12-25"), day("2026-12-31"))!.enumerated() {
            costs.append(DailyCost(day: date, service: "Bandwidth", amount: Decimal(n + 1), currency: .gbp))  // 1...7 = 28
        }
        costs.append(row("2027-01-01", "Bandwidth", "2.5"))
        let overview = BudgetOverview(plan: plan(), costs: costs, today: day("2027-01-01"))
        #expect(overview.monthly.month == day("2027-01-01"))
        #expect(overview.monthly.spentToDate == d("2.5"))
        #expect(overview.monthly.projection == nil)
        #expect(overview.credit.burnRate == BurnRate(perDay: d("4"), days: 7))
        #expect(overview.position(.networkingSecurity)?.spent == d("30.5"))
    }

    @Test func fourthOfJanuary() throws {
        let costs =
            daily("2026-12-28", "2026-12-31", "Key Vault", "10")  // 40
            + [
                row("2027-01-01", "Key Vault", "1"), row("2027-01-02", "Key Vault", "2"), row("2027-01-03", "Key Vault", "3"),
                row("2027-01-04", "Key Vault", "100"),
            ]
        let overview = BudgetOverview(plan: plan(), costs: costs, today: day("2027-01-04"))
        #expect(overview.monthly.spentToDate == d("106"))
        #expect(overview.monthly.projection == MonthEndProjection(amount: d("62"), basisDays: 3, daysInMonth: 31))  // 6 x 31 / 3
        // 28 Dec ... 3 Jan: 40 + 6 = 46 over 7 days.
        let rate = try #require(overview.credit.burnRate)
        #expect(rate.days == 7)
        #expect(rate.perDay.rounded(scale: 10) == d("6.5714285714"))
    }

    @Test func leapDay() throws {
        let leapPlan = plan(creditStart: "2027-10-01", creditExpiry: "2028-09-30")
        let costs = daily("2028-02-01", "2028-02-28", "Storage", "10") + [row("2028-02-29", "Storage", "50")]
        let overview = BudgetOverview(plan: leapPlan, costs: costs, today: day("2028-02-29"))
        let projection = try #require(overview.monthly.projection)
        #expect(projection.daysInMonth == 29)
        #expect(projection.basisDays == 28)
        #expect(projection.amount == d("290"))  // 280 x 29 / 28
        #expect(overview.monthly.spentToDate == d("330"))
        #expect(overview.credit.burnRate == BurnRate(perDay: d("10"), days: 7))
    }

    @Test func dayAfterTheLeapDay() {
        let leapPlan = plan(creditStart: "2027-10-01", creditExpiry: "2028-09-30")
        let costs =
            [row("2028-02-22", "Storage", "1000")]  // eight days back: outside the window
            + daily("2028-02-23", "2028-02-29", "Storage", "10")  // the window includes 29 February
            + [row("2028-03-01", "Storage", "3")]
        let overview = BudgetOverview(plan: leapPlan, costs: costs, today: day("2028-03-01"))
        #expect(overview.credit.burnRate == BurnRate(perDay: d("10"), days: 7))
        #expect(overview.monthly.month == day("2028-03-01"))
        #expect(overview.monthly.spentToDate == d("3"))
        #expect(overview.monthly.projection == nil)
    }

    @Test func noRowsAtAll() throws {
        let overview = BudgetOverview(plan: plan(), costs: [], today: day("2026-11-26"))
        #expect(overview.credit.spent == 0)
        #expect(overview.credit.remaining == d("5000"))
        #expect(overview.credit.fractionUsed == 0)
        #expect(overview.credit.burnRate == BurnRate(perDay: 0, days: 7))
        #expect(overview.credit.exhaustion == .notAtCurrentRate)
        for (_, position) in overview.categories {
            #expect(position.spent == 0)
            #expect(position.exhaustion == .notAtCurrentRate)
        }
        #expect(overview.unmapped.spent == 0)
        #expect(overview.unmapped.services.isEmpty)
        #expect(overview.monthly.spentToDate == 0)
        #expect(overview.monthly.state == .clear)
        let projection = try #require(overview.monthly.projection)
        #expect(projection.amount == 0)
        #expect(projection.basisDays == 25)
        #expect(overview.monthly.projectedState == .clear)
        #expect(overview.latestDataDay == nil)
        #expect(overview.rowsOutsideCreditPeriod == 0)
    }

    @Test func sameInputsGiveEqualOverviews() {
        let costs = [row("2026-11-20", "Storage", "3"), row("2026-11-21", "Zeta", "4")]
        let a = BudgetOverview(plan: plan(), costs: costs, today: day("2026-11-26"))
        let b = BudgetOverview(plan: plan(), costs: costs.reversed(), today: day("2026-11-26"))
        let c = BudgetOverview(plan: plan(), costs: costs + [row("2026-11-22", "Storage", "1")], today: day("2026-11-26"))
        #expect(a == b)
        #expect(a != c)
    }
}

@Suite("Cost ledger")
struct CostLedgerTests {
    @Test func sortsRowsIntoBucketsWithinTheWindow() {
        let map = plan().serviceMap
        let window = DayRange(day("2026-11-01"), day("2026-11-30"))!
        let ledger = CostLedger(
            costs: [
                row("2026-10-31", "Storage", "1"),
                row("2026-11-01", "Storage", "2"),
                row("2026-11-30", "storage", "3"),
                row("2026-12-01", "Storage", "4"),
                row("2026-11-15", "Mystery", "5"),
                row("2026-11-16", "Other", "6"),
                row("2026-11-16", "Mystery", "0.5"),
            ], map: map, window: window)
        #expect(ledger.spend(for: .databasesStorage).total == d("5"))
        #expect(ledger.spend(for: .compute).total == 0)
        #expect(ledger.rowsOutsideWindow == 2)
        #expect(ledger.latestDay == day("2026-11-30"))
        #expect(ledger.unmapped.keys.sorted() == ["Mystery", "Other"])
        #expect(ledger.unmapped["Mystery"]?.total == d("5.5"))
        #expect(ledger.unmappedTotal.total == d("11.5"))
        #expect(ledger.unmappedTotal.amount(on: day("2026-11-16")) == d("6.5"))
        #expect(ledger.total.total == d("16.5"))
    }

    @Test func planLookups() {
        let budget = plan()
        #expect(budget.allocation(for: .networkingSecurity)?.amount == d("400"))
        #expect(budget.allocation(for: .compute)?.label == "Compute (AKS)")
        #expect(budget.monthly.alertThresholds == [d("80"), d("95")])  // sorted
        #expect(budget.allocations.reduce(Decimal(0)) { $0 + $1.amount } == budget.total)
        #expect(
            CreditCategory.allCases.map(\.key)
                == ["compute", "azure_openai", "databases_storage", "networking_security", "monitoring_devops"])
        #expect(CreditCategory.compute < .monitoringDevOps)
    }
}
