import Foundation

/// Where one bucket's spend (or the whole credit's) is heading if its burn
/// rate holds: the projection columns of the Budget view's category table.
///
/// Both projections start from complete days only, as burn rate and
/// exhaustion do: today's partial day (Azure lags 8-72 hours) would drag them
/// down.
public struct SpendOutlook: Sendable, Equatable {
    public var allocation: Decimal
    /// Spend in the credit period through the last complete day (yesterday).
    public var spentThroughLastCompleteDay: Decimal
    /// Spend at the credit's expiry: `spentThroughLastCompleteDay` plus the
    /// burn rate for every day after the last complete one up to expiry.
    /// Once the last complete day is the expiry or later, the actual total.
    /// nil while there is no burn rate (no complete day yet).
    public var atExpiry: Decimal?
    /// This calendar month's spend so far, today's partial day included (as the monthly budget counts it).
    public var monthToDate: Decimal
    /// The month's linear projection for this bucket; nil until
    /// ``MonthEndProjection/minimumBasisDays`` complete days of the month exist.
    public var monthEnd: MonthEndProjection?

    public init(
        allocation: Decimal, spentThroughLastCompleteDay: Decimal, atExpiry: Decimal?, monthToDate: Decimal,
        monthEnd: MonthEndProjection?
    ) {
        self.allocation = allocation
        self.spentThroughLastCompleteDay = spentThroughLastCompleteDay
        self.atExpiry = atExpiry
        self.monthToDate = monthToDate
        self.monthEnd = monthEnd
    }

    /// `atExpiry` as a share of the allocation (above 1: the allocation runs short); nil
    /// without a projection or an allocation.
    public var fractionAtExpiry: Decimal? {
        guard let atExpiry, allocation > 0 else { return nil }
        return atExpiry / allocation
    }

    /// How far the projection at expiry exceeds the allocation; zero when it lasts, nil without a projection.
    public var shortfallAtExpiry: Decimal? { atExpiry.map { max(0, $0 - allocation) } }

    /// Spend at expiry given the spend so far and the rate.
    ///
    /// - Parameters:
    ///   - spentInPeriod: the credit period's spend through today (or expiry), today's partial day included.
    ///   - spentToday: today's partial spend (subtracted when today is inside the period).
    public static func projectAtExpiry(
        spentInPeriod: Decimal, spentToday: Decimal, rate: BurnRate?, today: CivilDate,
        period: DayRange
    ) -> Decimal? {
        let lastComplete = today.adding(days: -1)
        // The period is over: what was spent is final.
        if lastComplete >= period.last { return spentInPeriod }
        guard let rate, today > period.first else { return nil }
        let through = spentInPeriod - (period.contains(today) ? spentToday : 0)
        // Days after the last complete one, through expiry inclusive.
        return through + rate.perDay * Decimal(lastComplete.days(to: period.last))
    }
}

/// The projections for every bucket, the unmapped spend and the whole
/// credit, built on a ``BudgetOverview`` (whose spend, burn rates and
/// exhaustion dates it reuses) and the cost rows it was made from.
public struct BudgetOutlook: Sendable, Equatable {
    /// One bucket: its position from the overview and where it is heading.
    public struct Category: Sendable, Equatable {
        public var category: CreditCategory
        public var position: CreditPosition
        public var outlook: SpendOutlook
    }

    public var today: CivilDate
    public var categories: [Category]
    /// Spend no bucket claims (no allocation).
    public var unmapped: SpendOutlook
    /// The unmapped spend's burn: the credit's rate less the buckets' (the rates average the same days).
    public var unmappedBurnRate: BurnRate?
    /// The whole credit, unmapped spend included (credits pay for it too).
    public var credit: SpendOutlook

    /// - Parameters:
    ///   - overview: the picture for the day; its positions give spend, burn rate and exhaustion.
    ///   - plan: the plan the overview was made from (its service map sorts this month's rows).
    ///   - costs: the rows the overview was made from. Only this month's rows are read, so the
    ///     cost grows with a month of rows, not the whole credit period.
    public init(overview: BudgetOverview, plan: BudgetPlan, costs: [DailyCost]) {
        let today = overview.today
        let period = overview.creditPeriod
        let map = plan.serviceMap
        var monthSpend: [CreditCategory: DailySpend] = [:]
        var unmappedMonth = DailySpend()
        var todayByCategory: [CreditCategory: Decimal] = [:]
        var todayUnmapped: Decimal = 0
        // A service's bucket is looked up once: a month holds many rows per service.
        var bucketOf: [String: CreditCategory?] = [:]
        // Field by field rather than through Comparable: this runs over every row each frame the view is drawn.
        for row in costs where row.day.year == today.year && row.day.month == today.month && row.day.day <= today.day {
            let bucket: CreditCategory?
            if let known = bucketOf[row.service] {
                bucket = known
            } else {
                bucket = map.category(for: row.service)
                bucketOf[row.service] = bucket
            }
            if let category = bucket {
                monthSpend[category, default: DailySpend()].add(row.amount, on: row.day)
                if row.day == today { todayByCategory[category, default: 0] += row.amount }
            } else {
                unmappedMonth.add(row.amount, on: row.day)
                if row.day == today { todayUnmapped += row.amount }
            }
        }

        func outlook(
            _ position: CreditPosition, today spentToday: Decimal, monthToDate: Decimal,
            monthEnd: MonthEndProjection?
        ) -> SpendOutlook {
            let through = position.spent - (period.contains(today) ? spentToday : 0)
            return SpendOutlook(
                allocation: position.allocation, spentThroughLastCompleteDay: through,
                atExpiry: SpendOutlook.projectAtExpiry(
                    spentInPeriod: position.spent, spentToday: spentToday,
                    rate: position.burnRate, today: today, period: period),
                monthToDate: monthToDate, monthEnd: monthEnd)
        }
        func outlook(_ position: CreditPosition, today spentToday: Decimal, month spend: DailySpend) -> SpendOutlook {
            outlook(position, today: spentToday, monthToDate: spend.total, monthEnd: MonthEndProjection.linear(spend, today: today))
        }

        self.today = today
        self.categories = overview.categories.map { entry in
            Category(
                category: entry.category, position: entry.position,
                outlook: outlook(
                    entry.position, today: todayByCategory[entry.category] ?? 0,
                    month: monthSpend[entry.category] ?? DailySpend()))
        }
        let todayTotal = todayUnmapped + todayByCategory.values.reduce(0, +)
        // The whole month is the monthly budget's, already summed.
        self.credit = outlook(
            overview.credit, today: todayTotal, monthToDate: overview.monthly.spentToDate,
            monthEnd: overview.monthly.projection)
        // Unmapped burn is what the credit burns beyond the buckets: the rates are sums over the same days.
        let bucketRate = overview.categories.compactMap(\.position.burnRate).map(\.perDay).reduce(0, +)
        let unmappedRate = overview.credit.burnRate.map { BurnRate(perDay: $0.perDay - bucketRate, days: $0.days) }
        let unmappedPosition = CreditPosition(
            label: "Unmapped", allocation: 0, spent: overview.unmapped.spent,
            burnRate: unmappedRate, exhaustion: .unknown)
        self.unmappedBurnRate = unmappedRate
        self.unmapped = outlook(unmappedPosition, today: todayUnmapped, month: unmappedMonth)
    }
}
