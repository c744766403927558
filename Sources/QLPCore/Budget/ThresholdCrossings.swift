import Foundation

/// When month-to-date spend first reached each alert threshold: the dates an
/// Azure budget with GreaterThanOrEqualTo notifications would have fired.
public struct ThresholdCrossing: Sendable, Equatable {
    /// Percent of the budget amount (80, 95, 100).
    public var threshold: Decimal
    /// The first day the running total reached it; nil if it has not.
    public var day: CivilDate?

    public init(threshold: Decimal, day: CivilDate?) {
        self.threshold = threshold
        self.day = day
    }

    /// Crossing dates within `month` (any day of it), counting days up to `through`.
    public static func find(
        in spend: DailySpend, month: CivilDate, through: CivilDate, amount: Decimal,
        thresholds: [Decimal]
    ) -> [ThresholdCrossing] {
        let first = month.firstOfMonth
        let last = min(month.lastOfMonth, through)
        var running: Decimal = 0
        var found: [Decimal: CivilDate] = [:]
        if let days = DayRange(first, last) {
            for day in days {
                running += spend.amount(on: day)
                for t in thresholds where found[t] == nil && amount > 0 && running * 100 >= amount * t {
                    found[t] = day
                }
            }
        }
        return thresholds.map { ThresholdCrossing(threshold: $0, day: found[$0]) }
    }
}
