import Foundation

/// The monthly budget: Azure's own shape (amount, Monthly grain, percentage
/// thresholds), evaluated on the calendar month in the billing time zone.
public struct MonthlyBudget: Sendable, Equatable {
    public var amount: Decimal
    /// Percentages of `amount` that raise alerts, ascending (80, 95).
    public var alertThresholds: [Decimal]

    public init(amount: Decimal, alertThresholds: [Decimal]) {
        self.amount = amount
        self.alertThresholds = alertThresholds.sorted()
    }
}

/// Credits with their own amount and validity, such as MongoDB Atlas's £500.
public struct CreditGrant: Sendable, Equatable {
    public var amount: Decimal
    public var period: DayRange

    public init(amount: Decimal, period: DayRange) {
        self.amount = amount
        self.period = period
    }
}

/// Everything qlp knows about how the money is meant to be spent: the config's
/// `budget` section as a value.
public struct BudgetPlan: Sendable, Equatable {
    public var currency: Currency
    /// The credit total; the allocations sum to it exactly.
    public var total: Decimal
    /// From the credit start date to its expiry, both inclusive. Burn,
    /// exhaustion and "will it last" are measured over this period.
    public var creditPeriod: DayRange
    /// IANA zone the monthly budget's calendar month is counted in.
    public var billingTimeZone: String
    public var monthly: MonthlyBudget
    /// The buckets, in the order finance reads them.
    public var allocations: [CategoryAllocation]
    public var atlasCredits: CreditGrant?
    /// Units of `currency` per one unit of another currency (USD: 0.79),
    /// for sources billed in another currency. Shown wherever used.
    public var exchangeRates: [String: Decimal]
    /// The tag the finance report breaks spend down by (with an Untagged line).
    public var reportTag: String

    public init(
        currency: Currency, total: Decimal, creditPeriod: DayRange, billingTimeZone: String,
        monthly: MonthlyBudget, allocations: [CategoryAllocation], atlasCredits: CreditGrant?,
        exchangeRates: [String: Decimal] = [:], reportTag: String = "CostCenter"
    ) {
        self.currency = currency
        self.total = total
        self.creditPeriod = creditPeriod
        self.billingTimeZone = billingTimeZone
        self.monthly = monthly
        self.allocations = allocations
        self.atlasCredits = atlasCredits
        self.exchangeRates = exchangeRates
        self.reportTag = reportTag
    }

    public func allocation(for category: CreditCategory) -> CategoryAllocation? {
        allocations.first { $0.category == category }
    }

    public var serviceMap: ServiceCategoryMap { ServiceCategoryMap(allocations: allocations) }
}
