import QLPCore

/// Reads the days a person names on the command line (--week, --month,
/// --from/--to, --as-of), and when one cannot be a day, week or month says
/// exactly why: month 13, week 54 of a 53-week year, 30 February.
public enum PeriodArgument {
    /// "2026-W47" (also "2026W47").
    public static func week(_ text: String, option: String = "--week") throws(PeriodArgumentError) -> ISOWeek {
        let compact = text.replacingOccurrences(of: "-", with: "")
        guard compact.count == 7, compact.dropFirst(4).first == "W" || compact.dropFirst(4).first == "w",
            let year = digits(compact.prefix(4)), let number = digits(compact.suffix(2))
        else {
            throw .malformed(option: option, text: text, expected: "an ISO week such as 2026-W47")
        }
        guard let week = ISOWeek(year: year, week: number) else {
            throw .noSuchWeek(option: option, text: text, year: year, week: number)
        }
        return week
    }

    /// "2026-11".
    public static func month(_ text: String, option: String = "--month") throws(PeriodArgumentError) -> ReportPeriod {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = digits(parts[0]), let month = digits(parts[1]) else {
            throw .malformed(option: option, text: text, expected: "a month such as 2026-11")
        }
        guard (1...12).contains(month) else { throw .noSuchMonth(option: option, text: text, month: month) }
        return .month(year: year, month: month)
    }

    /// "2026-11-26".
    public static func day(_ text: String, option: String) throws(PeriodArgumentError) -> CivilDate {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = digits(parts[0]), let month = digits(parts[1]), let day = digits(parts[2])
        else {
            throw .malformed(option: option, text: text, expected: "a day such as 2026-11-26")
        }
        guard (1...12).contains(month) else { throw .noSuchMonth(option: option, text: text, month: month) }
        guard let date = CivilDate(year: year, month: month, day: day) else {
            throw .noSuchDay(option: option, text: text, year: year, month: month, days: CivilDate.daysIn(year: year, month: month))
        }
        return date
    }

    /// --from and --to: both days, the first not after the last.
    public static func range(from: String, to: String) throws(PeriodArgumentError) -> DayRange {
        let first = try day(from, option: "--from")
        let last = try day(to, option: "--to")
        guard let range = DayRange(first, last) else { throw .reversed(from: from, to: to) }
        return range
    }

    /// Only ASCII digits: Int() alone would take "+1".
    private static func digits(_ text: some StringProtocol) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }
}

/// Why a day, week or month named on the command line is not one.
public enum PeriodArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(option: String, text: String, expected: String)
    case noSuchMonth(option: String, text: String, month: Int)
    case noSuchWeek(option: String, text: String, year: Int, week: Int)
    case noSuchDay(option: String, text: String, year: Int, month: Int, days: Int)
    case reversed(from: String, to: String)

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ]

    public var description: String {
        switch self {
        case .malformed(let option, let text, let expected):
            "\(option) '\(text)': expected \(expected)"
        case .noSuchMonth(let option, let text, let month):
            "\(option) '\(text)': there is no month \(month) (months run from 01 to 12)"
        case .noSuchWeek(let option, let text, let year, let week):
            week < 1
                ? "\(option) '\(text)': ISO weeks are numbered from 01"
                : "\(option) '\(text)': \(year) has \(ISOWeek.weeks(in: year)) ISO weeks, so there is no week \(week)"
        case .noSuchDay(let option, let text, let year, let month, let days):
            "\(option) '\(text)': \(Self.monthNames[month - 1]) \(year) has \(days) days"
        case .reversed(let from, let to):
            "--from \(from) is after --to \(to)"
        }
    }
}
