import QLPCore

/// The days a report's figures are read over, as of a day: the period's days
/// that have ended, and the days of the previous period they are compared
/// with. Every section of the report reads these, so no section can count a
/// day another leaves out.
public struct ReportWindow: Sendable, Equatable {
    public var period: ReportPeriod
    /// The first day that is not complete: today, or the day a report is rerun as of.
    public var today: CivilDate

    public init(period: ReportPeriod, today: CivilDate) {
        self.period = period
        self.today = today
    }

    /// The period has days that have not ended yet.
    public var isInProgress: Bool { period.days.last >= today }

    /// The period's complete days: all of them once it has ended; nil while
    /// not one of them has.
    public var comparedDays: DayRange? { DayRange(period.days.first, min(period.days.last, today.adding(days: -1))) }

    /// The whole previous period once this one has ended. While this one
    /// runs, as many days from the previous period's start as this one has
    /// complete (1 to 3 November for 1 to 3 December): a partial period
    /// against a whole one reads as a collapse in spend that is not there.
    public var previousComparedDays: DayRange? {
        guard let compared = comparedDays else { return nil }
        let previous = period.previous.days
        guard isInProgress else { return previous }
        return DayRange(previous.first, min(previous.last, previous.first.adding(days: compared.count - 1)))
    }
}
