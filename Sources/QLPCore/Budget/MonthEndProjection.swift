import Foundation

/// A straight-line estimate of the month's total: spend over the complete days
/// so far, scaled to the whole month. Labelled "linear" wherever shown, because
/// Azure's own forecast is a different model.
public struct MonthEndProjection: Sendable, Equatable {
    public var amount: Decimal
    /// Complete days of the month the projection is based on.
    public var basisDays: Int
    public var daysInMonth: Int

    /// Fewer complete days than this give projections too noisy to show.
    public static let minimumBasisDays = 3

    /// nil until `minimumBasisDays` complete days of the month exist.
    public static func linear(_ spend: DailySpend, today: CivilDate) -> MonthEndProjection? {
        linear(spend, month: today, completeThrough: today.adding(days: -1))
    }

    /// The projection for the month containing `month`, from the days up to
    /// `completeThrough` (a month that has ended projects to its actual total).
    public static func linear(_ spend: DailySpend, month: CivilDate, completeThrough: CivilDate) -> MonthEndProjection? {
        let first = month.firstOfMonth
        let last = min(completeThrough, month.lastOfMonth)
        guard let basis = DayRange(first, last), basis.count >= minimumBasisDays else { return nil }
        let soFar = spend.total(in: basis)
        return MonthEndProjection(
            amount: soFar * Decimal(month.daysInMonth) / Decimal(basis.count),
            basisDays: basis.count, daysInMonth: month.daysInMonth)
    }
}
