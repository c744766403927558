import Foundation

/// One bucket's (or the whole credit's) position: the rows of the Overview.
public struct CreditPosition: Sendable, Equatable {
    public var label: String
    public var allocation: Decimal
    public var spent: Decimal
    public var burnRate: BurnRate?
    public var exhaustion: CreditExhaustion

    public var remaining: Decimal { allocation - spent }
    /// Spent / allocation; above 1 when overspent. Zero allocation with spend is 1.
    public var fractionUsed: Decimal {
        allocation > 0 ? spent / allocation : (spent > 0 ? 1 : 0)
    }
}

/// The month-to-date position against the monthly budget.
public struct MonthlyPosition: Sendable, Equatable {
    /// The first day of the month in question.
    public var month: CivilDate
    public var amount: Decimal
    /// Everything billed this month so far, including today's partial day.
    public var spentToDate: Decimal
    public var thresholds: [Decimal]
    public var state: ThresholdState
    /// nil until three complete days of the month exist.
    public var projection: MonthEndProjection?
    /// State of the projected month-end total (Azure's "Forecasted" alerts).
    public var projectedState: ThresholdState?

    public var fractionUsed: Decimal { amount > 0 ? spentToDate / amount : 0 }
}

/// Spend that no bucket claims, kept visible rather than dropped.
public struct UnmappedSpend: Sendable, Equatable {
    public var spent: Decimal
    /// Service names and their spend, largest first.
    public var services: [(name: String, spent: Decimal)]

    public static func == (a: UnmappedSpend, b: UnmappedSpend) -> Bool {
        a.spent == b.spent && a.services.map(\.name) == b.services.map(\.name) && a.services.map(\.spent) == b.services.map(\.spent)
    }
}

/// The budget picture on one day: what the Overview and the report show.
/// A pure function of the plan, the cost rows and the date.
public struct BudgetOverview: Sendable, Equatable {
    public var today: CivilDate
    public var currency: Currency
    public var creditPeriod: DayRange
    /// The whole credit (all buckets plus unmapped spend, which credits pay too).
    public var credit: CreditPosition
    public var categories: [(category: CreditCategory, position: CreditPosition)]
    public var unmapped: UnmappedSpend
    public var monthly: MonthlyPosition
    /// The latest day with any cost row.
    public var latestDataDay: CivilDate?
    public var rowsOutsideCreditPeriod: Int

    public init(plan: BudgetPlan, costs: [DailyCost], today: CivilDate) {
        let period = plan.creditPeriod
        // Spend counts from the credit start up to today (or expiry, if past).
        let window = DayRange(period.first, min(today, period.last)) ?? DayRange(period.first, period.first)!
        let ledger = CostLedger(costs: costs, map: plan.serviceMap, window: window)

        func position(label: String, allocation: Decimal, spend: DailySpend) -> CreditPosition {
            let rate = BurnRate.trailing(spend, today: today, period: period)
            return CreditPosition(
                label: label, allocation: allocation, spent: spend.total(in: window), burnRate: rate,
                exhaustion: CreditExhaustion.project(
                    allocation: allocation, spend: spend, rate: rate,
                    today: today, period: period))
        }

        self.today = today
        self.currency = plan.currency
        self.creditPeriod = period
        self.credit = position(label: "Azure credits", allocation: plan.total, spend: ledger.total)
        self.categories = plan.allocations.map { allocation in
            (
                allocation.category,
                position(
                    label: allocation.label, allocation: allocation.amount,
                    spend: ledger.spend(for: allocation.category))
            )
        }
        let unmappedServices = ledger.unmapped.map { (name: $0.key, spent: $0.value.total) }
            .sorted { $0.spent != $1.spent ? $0.spent > $1.spent : $0.name < $1.name }
        self.unmapped = UnmappedSpend(spent: ledger.unmappedTotal.total, services: unmappedServices)

        // The monthly budget covers every cost in the month, whether or not the
        // credit period covers it, so it reads the rows directly.
        var monthSpend = DailySpend()
        let month = DayRange(today.firstOfMonth, today)!
        for row in costs where month.contains(row.day) { monthSpend.add(row.amount, on: row.day) }
        let spentToDate = monthSpend.total
        let projection = MonthEndProjection.linear(monthSpend, today: today)
        let thresholds = plan.monthly.alertThresholds
        self.monthly = MonthlyPosition(
            month: today.firstOfMonth, amount: plan.monthly.amount, spentToDate: spentToDate, thresholds: thresholds,
            state: ThresholdState.evaluate(spent: spentToDate, amount: plan.monthly.amount, thresholds: thresholds),
            projection: projection,
            projectedState: projection.map {
                ThresholdState.evaluate(spent: $0.amount, amount: plan.monthly.amount, thresholds: thresholds)
            })
        self.latestDataDay = ledger.latestDay
        self.rowsOutsideCreditPeriod = ledger.rowsOutsideWindow
    }

    public static func == (a: BudgetOverview, b: BudgetOverview) -> Bool {
        a.today == b.today && a.currency == b.currency && a.credit == b.credit
            && a.categories.map(\.category) == b.categories.map(\.category)
            && a.categories.map(\.position) == b.categories.map(\.position)
            && a.unmapped == b.unmapped && a.monthly == b.monthly && a.latestDataDay == b.latestDataDay
    }
}
