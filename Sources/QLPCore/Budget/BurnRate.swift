import Foundation

/// Average daily spend over the most recent complete days.
///
/// Today is never complete (Azure's cost data lags 8-72 hours), so the window
/// is the `windowDays` days before today. When the credit period is younger
/// than the window, only the days inside it count, and `days` says how many,
/// so a 3-day average is never passed off as a 7-day one.
public struct BurnRate: Sendable, Equatable {
    public var perDay: Decimal
    /// Complete days the average covers (1...7 normally).
    public var days: Int

    public init(perDay: Decimal, days: Int) {
        self.perDay = perDay
        self.days = days
    }

    public static let standardWindow = 7

    /// The trailing rate of `spend` as of `today`, or nil when no complete day
    /// of the period exists yet.
    public static func trailing(
        _ spend: DailySpend, today: CivilDate, period: DayRange,
        windowDays: Int = standardWindow
    ) -> BurnRate? {
        guard let window = DayRange(today.adding(days: -windowDays), today.adding(days: -1)),
            let counted = window.clamped(to: period)
        else { return nil }
        return BurnRate(perDay: spend.total(in: counted) / Decimal(counted.count), days: counted.count)
    }
}
