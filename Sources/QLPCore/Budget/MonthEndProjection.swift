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
        let completeDays = today.day - 1
        guard completeDays >= minimumBasisDays,
              let basis = DayRange(today.firstOfMonth, today.adding(days: -1)) else { return nil }
        let soFar = spend.total(in: basis)
        return MonthEndProjection(amount: soFar * Decimal(today.daysInMonth) / Decimal(completeDays),
                                  basisDays: completeDays, daysInMonth: today.daysInMonth)
    }
}
