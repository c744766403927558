import Foundation

/// One day's cost of one Azure service, as Cost Management reports it
/// (ActualCost, daily granularity, grouped by ServiceName).
public struct DailyCost: Sendable, Equatable, Hashable {
    public var day: CivilDate
    public var service: String
    public var amount: Decimal
    public var currency: Currency

    public init(day: CivilDate, service: String, amount: Decimal, currency: Currency) {
        self.day = day
        self.service = service
        self.amount = amount
        self.currency = currency
    }
}

/// Spend per day, summed exactly. Days with no rows count as zero spend.
public struct DailySpend: Sendable, Equatable {
    private var byDayNumber: [Int: Decimal] = [:]

    public init() {}

    public mutating func add(_ amount: Decimal, on day: CivilDate) {
        byDayNumber[day.dayNumber, default: 0] += amount
    }

    public func amount(on day: CivilDate) -> Decimal { byDayNumber[day.dayNumber] ?? 0 }

    /// Sum over the days of `range` (inclusive).
    public func total(in range: DayRange) -> Decimal {
        var sum: Decimal = 0
        if range.count <= byDayNumber.count {
            for day in range { sum += amount(on: day) }
        } else {
            for (n, value) in byDayNumber where n >= range.first.dayNumber && n <= range.last.dayNumber { sum += value }
        }
        return sum
    }

    /// Sum over every day recorded.
    public var total: Decimal { byDayNumber.values.reduce(0, +) }

    /// The days that have rows, ascending.
    public var days: [CivilDate] { byDayNumber.keys.sorted().map(CivilDate.init(dayNumber:)) }

    /// The first day on which the running total reached `amount`, if it did.
    public func firstDayReaching(_ amount: Decimal) -> CivilDate? {
        var running: Decimal = 0
        for n in byDayNumber.keys.sorted() {
            running += byDayNumber[n]!
            if running >= amount { return CivilDate(dayNumber: n) }
        }
        return nil
    }
}

/// Cost rows sorted into the credit buckets, for one window of days.
public struct CostLedger: Sendable, Equatable {
    public private(set) var categories: [CreditCategory: DailySpend] = [:]
    /// Spend no bucket claims, by the service name Azure reported.
    public private(set) var unmapped: [String: DailySpend] = [:]
    public private(set) var total = DailySpend()
    /// The latest day any row falls on.
    public private(set) var latestDay: CivilDate?
    /// Rows dated outside the window (kept out of every sum, but counted so a
    /// report can say so).
    public private(set) var rowsOutsideWindow = 0

    public init(costs: [DailyCost], map: ServiceCategoryMap, window: DayRange) {
        for row in costs {
            guard window.contains(row.day) else {
                rowsOutsideWindow += 1
                continue
            }
            if let category = map.category(for: row.service) {
                categories[category, default: DailySpend()].add(row.amount, on: row.day)
            } else {
                unmapped[row.service, default: DailySpend()].add(row.amount, on: row.day)
            }
            total.add(row.amount, on: row.day)
            if latestDay.map({ row.day > $0 }) ?? true { latestDay = row.day }
        }
    }

    public func spend(for category: CreditCategory) -> DailySpend { categories[category] ?? DailySpend() }

    /// All unmapped spend in one series.
    public var unmappedTotal: DailySpend {
        var all = DailySpend()
        for series in unmapped.values {
            for day in series.days { all.add(series.amount(on: day), on: day) }
        }
        return all
    }
}
