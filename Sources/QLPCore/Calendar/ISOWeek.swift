import Foundation

/// An ISO 8601 week: Monday to Sunday, numbered within its week-based year
/// (week 1 is the week with the year's first Thursday, so it can start in
/// December, and some years have a week 53).
public struct ISOWeek: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    /// nil when the year has no such week (week 53 of a 52-week year).
    public init?(year: Int, week: Int) {
        guard week >= 1, week <= ISOWeek.weeks(in: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// The ISO week a day belongs to.
    public init(containing day: CivilDate) {
        // The Thursday of the day's week decides the week-based year.
        let thursday = day.adding(days: 4 - day.isoWeekday)
        let year = thursday.year
        let jan1 = CivilDate(year: year, month: 1, day: 1)!
        self.year = year
        self.week = jan1.days(to: thursday) / 7 + 1
    }

    /// Parses "2026-W48" (also "2026W48").
    public init?(_ text: some StringProtocol) {
        let compact = text.replacingOccurrences(of: "-", with: "")
        guard compact.count == 7, compact.dropFirst(4).first == "W" || compact.dropFirst(4).first == "w",
            compact.prefix(4).allSatisfy({ $0.isASCII && $0.isNumber }),
            compact.suffix(2).allSatisfy({ $0.isASCII && $0.isNumber }),
            let y = Int(compact.prefix(4)), let w = Int(compact.suffix(2))
        else { return nil }
        self.init(year: y, week: w)
    }

    /// Monday of the week.
    public var monday: CivilDate {
        let jan4 = CivilDate(year: year, month: 1, day: 4)!
        let week1Monday = jan4.adding(days: 1 - jan4.isoWeekday)
        return week1Monday.adding(days: (week - 1) * 7)
    }

    public var sunday: CivilDate { monday.adding(days: 6) }
    public var days: DayRange { DayRange(monday, sunday)! }

    public var previous: ISOWeek { ISOWeek(containing: monday.adding(days: -7)) }
    public var next: ISOWeek { ISOWeek(containing: monday.adding(days: 7)) }

    /// 52 or 53: a year has 53 weeks when it starts on a Thursday, or is a
    /// leap year starting on a Wednesday.
    public static func weeks(in year: Int) -> Int {
        let dec28 = CivilDate(year: year, month: 12, day: 28)!
        return ISOWeek(containing: dec28).week
    }

    /// "2026-W48".
    public var description: String { "\(year)-W\(week < 10 ? "0" : "")\(week)" }

    public static func < (a: ISOWeek, b: ISOWeek) -> Bool { (a.year, a.week) < (b.year, b.week) }
}
