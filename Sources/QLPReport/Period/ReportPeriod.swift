import Foundation
import QLPCore

/// The days a report covers: an ISO week, a calendar month or a custom range
/// (inclusive days; the underlying charge periods are UTC, start-inclusive,
/// end-exclusive, so a day is [00:00, 24:00) UTC).
public enum ReportPeriod: Sendable, Equatable, CustomStringConvertible {
    case week(ISOWeek)
    case month(year: Int, month: Int)
    case custom(DayRange)

    public var days: DayRange {
        switch self {
        case .week(let week): week.days
        case .month(let year, let month):
            DayRange(CivilDate(year: year, month: month, day: 1)!, CivilDate(year: year, month: month, day: 1)!.lastOfMonth)!
        case .custom(let range): range
        }
    }

    /// What "week over week" compares with: the week, month or equally long
    /// range just before.
    public var previous: ReportPeriod {
        switch self {
        case .week(let week): return .week(week.previous)
        case .month:
            let before = days.first.adding(days: -1)
            return .month(year: before.year, month: before.month)
        case .custom(let range):
            return .custom(DayRange(range.first.adding(days: -range.count), range.first.adding(days: -1))!)
        }
    }

    /// The last ISO week that has ended by `today`.
    public static func lastCompleteWeek(today: CivilDate) -> ReportPeriod {
        .week(ISOWeek(containing: today).previous)
    }

    /// The week of the last complete day: this week so far, or on a Monday
    /// the week just ended (a week with no complete day has nothing to report).
    public static func weekOfLastCompleteDay(today: CivilDate) -> ReportPeriod {
        .week(ISOWeek(containing: today.adding(days: -1)))
    }

    /// "week 2026-W47", "month 2026-11", "2026-11-01 to 2026-11-15".
    public var description: String {
        switch self {
        case .week(let week): "week \(week)"
        case .month(let year, let month): "month \(year)-\(month < 10 ? "0" : "")\(month)"
        case .custom(let range): "\(range.first) to \(range.last)"
        }
    }

    /// Machine form for file names and JSON: "2026-W47", "2026-11", "2026-11-01_2026-11-15".
    public var identifier: String {
        switch self {
        case .week(let week): week.description
        case .month(let year, let month): "\(year)-\(month < 10 ? "0" : "")\(month)"
        case .custom(let range): "\(range.first)_\(range.last)"
        }
    }

    public var kind: String {
        switch self {
        case .week: "week"
        case .month: "month"
        case .custom: "custom"
        }
    }
}
