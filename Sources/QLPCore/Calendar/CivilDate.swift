import Foundation

/// A calendar day with no time or zone: the unit Azure bills in (UsageDate
/// 20261125) and the unit every budget rule counts in.
///
/// Arithmetic goes through a day number (days since 1970-01-01) using the
/// proleptic Gregorian algorithms of Howard Hinnant, so it is pure and exact
/// across month, year and leap-day boundaries.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date; nil when the day does not exist (2026-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(to other: CivilDate) -> Int { other.dayNumber - dayNumber }

    public var firstOfMonth: CivilDate { CivilDate(unchecked: year, month, 1) }
    public var daysInMonth: Int { CivilDate.daysIn(year: year, month: month) }
    public var lastOfMonth: CivilDate { CivilDate(unchecked: year, month, daysInMonth) }

    /// The same day `n` months later, clamped to the month's end (Jan 31 + 1 = Feb 28/29).
    public func adding(months n: Int) -> CivilDate {
        let index = year * 12 + (month - 1) + n
        let y = index >= 0 ? index / 12 : (index - 11) / 12
        let m = index - y * 12 + 1
        return CivilDate(unchecked: y, m, min(day, CivilDate.daysIn(year: y, month: m)))
    }

    /// ISO weekday: Monday 1 ... Sunday 7.
    public var isoWeekday: Int {
        let w = (dayNumber % 7 + 7 + 3) % 7  // 1970-01-01 was a Thursday
        return w + 1
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    /// "2026-11-26".
    public var description: String { iso8601 }

    public var iso8601: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))"
    }

    /// Azure's UsageDate form: 20261126.
    public var yyyymmdd: Int { year * 10_000 + month * 100 + day }

    /// Parses "2026-11-26".
    public init?(iso8601 text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),  // Int() would take "+1"
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Parses Azure's numeric UsageDate (20261126).
    public init?(yyyymmdd value: Int) {
        self.init(year: value / 10_000, month: (value / 100) % 100, day: value % 100)
    }

    /// The calendar day at `instant` in `timeZone`.
    public init(_ instant: Date, in timeZone: TimeZone) {
        let offset = timeZone.secondsFromGMT(for: instant)
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + offset
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        self.init(dayNumber: days)
    }

    /// The instant this day starts in `timeZone`.
    public func startInstant(in timeZone: TimeZone) -> Date {
        let naive = Date(timeIntervalSince1970: TimeInterval(dayNumber) * 86_400)
        // The offset can differ between the naive guess and the real instant on
        // a daylight-saving change day; one correction step settles it, except
        // where midnight itself is skipped (Chile, Cuba, Egypt change clocks at
        // 00:00): then the day starts at the change, which is one of the two
        // guesses, and the other falls on the day before.
        let first = naive.addingTimeInterval(-TimeInterval(timeZone.secondsFromGMT(for: naive)))
        let second = naive.addingTimeInterval(-TimeInterval(timeZone.secondsFromGMT(for: first)))
        return [first, second].filter { CivilDate($0, in: timeZone) == self }.min() ?? second
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// A closed range of days, for credit periods and report windows.
public struct DayRange: Hashable, Sendable, CustomStringConvertible, Sequence {
    public let first: CivilDate
    public let last: CivilDate

    /// nil when `last` is before `first`.
    public init?(_ first: CivilDate, _ last: CivilDate) {
        guard first <= last else { return nil }
        self.first = first
        self.last = last
    }

    public var count: Int { first.days(to: last) + 1 }
    public func contains(_ day: CivilDate) -> Bool { day >= first && day <= last }

    /// The days common to both ranges, if any.
    public func clamped(to other: DayRange) -> DayRange? {
        DayRange(Swift.max(first, other.first), Swift.min(last, other.last))
    }

    public func makeIterator() -> AnyIterator<CivilDate> {
        var next = first.dayNumber
        let end = last.dayNumber
        return AnyIterator {
            guard next <= end else { return nil }
            defer { next += 1 }
            return CivilDate(dayNumber: next)
        }
    }

    public var description: String { "\(first)..\(last)" }

    /// Consecutive pieces of at most `maxDays` days (Cost Management refuses
    /// custom periods longer than a year).
    public func chunks(maxDays: Int) -> [DayRange] {
        var out: [DayRange] = []
        var start = first
        while start <= last {
            let end = Swift.min(last, start.adding(days: Swift.max(1, maxDays) - 1))
            out.append(DayRange(start, end)!)
            start = end.adding(days: 1)
        }
        return out
    }
}
