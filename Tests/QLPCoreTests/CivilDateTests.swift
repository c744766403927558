import Foundation
import Testing

@testable import QLPCore

private func day(_ text: String) -> CivilDate { CivilDate(iso8601: text)! }

/// An instant written in ISO 8601 with a zone, parsed by Foundation (an oracle
/// independent of CivilDate's arithmetic).
private func instant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)!
}

private let london = TimeZone(identifier: "Europe/London")!
private let utc = TimeZone(identifier: "UTC")!

@Suite("CivilDate")
struct CivilDateTests {
    // MARK: Day numbers

    @Test func knownDayNumbers() {
        #expect(day("1970-01-01").dayNumber == 0)
        #expect(day("1969-12-31").dayNumber == -1)
        #expect(day("2000-01-01").dayNumber == 10_957)  // 30 years, 7 leap days
        #expect(day("2000-03-01").dayNumber == 11_017)  // + 31 + 29
        #expect(day("2026-01-01").dayNumber == 20_454)  // + 26 years, 7 leap days
        #expect(day("2026-11-26").dayNumber == 20_783)  // + 329 days into 2026
        #expect(day("1900-01-01").dayNumber == -25_567)  // 70 years, 17 leap days
    }

    /// Every day of 1900...2100 against Foundation's Gregorian calendar, and the
    /// round trip date -> day number -> date.
    @Test func everyDayFrom1900To2100MatchesFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        let first = day("1900-01-01").dayNumber
        let last = day("2100-12-31").dayNumber
        #expect(last - first + 1 == 201 * 365 + 49)  // 49 leap days: 1904...2096, 1900 and 2100 are not leap
        var previous: CivilDate?
        var mismatches: [String] = []
        for n in first...last {
            let date = CivilDate(dayNumber: n)
            let parts = calendar.dateComponents(
                [.year, .month, .day],
                from: Date(timeIntervalSince1970: TimeInterval(n) * 86_400))
            if date.year != parts.year || date.month != parts.month || date.day != parts.day {
                mismatches.append("\(n): \(date) vs \(parts)")
            }
            let rebuilt = try #require(CivilDate(year: date.year, month: date.month, day: date.day))
            if rebuilt.dayNumber != n { mismatches.append("\(date) -> \(rebuilt.dayNumber), expected \(n)") }
            if let previous, !(previous < date) || previous.adding(days: 1) != date {
                mismatches.append("\(previous) is not the day before \(date)")
            }
            previous = date
            if mismatches.count > 5 { break }
        }
        #expect(mismatches.isEmpty)
    }

    // MARK: Weekdays

    @Test(
        "ISO weekday",
        arguments: [
            ("2026-11-26", 4),  // a Thursday
            ("2024-02-29", 4),  // a Thursday
            ("1970-01-01", 4),
            ("1969-12-31", 3),
            ("2000-01-01", 6),
            ("1900-01-01", 1),
            ("2026-03-29", 7),  // the Sunday British Summer Time starts
            ("2026-11-30", 1),
            ("2027-01-03", 7),
        ])
    func isoWeekday(text: String, weekday: Int) {
        #expect(day(text).isoWeekday == weekday)
    }

    // MARK: Leap years and validity

    @Test(arguments: [(2000, true), (1900, false), (2100, false), (2028, true), (2024, true), (2027, false), (2026, false), (2400, true)])
    func leapYears(year: Int, leap: Bool) {
        #expect(CivilDate.isLeap(year) == leap)
        #expect(CivilDate.daysIn(year: year, month: 2) == (leap ? 29 : 28))
    }

    @Test func daysInEachMonth() {
        let lengths = (1...12).map { CivilDate.daysIn(year: 2026, month: $0) }
        #expect(lengths == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    }

    @Test func invalidDatesAreRejected() {
        #expect(CivilDate(year: 2027, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2026, month: 4, day: 31) == nil)
        #expect(CivilDate(year: 2026, month: 13, day: 1) == nil)
        #expect(CivilDate(year: 2026, month: 0, day: 1) == nil)
        #expect(CivilDate(year: 2026, month: 1, day: 0) == nil)
        #expect(CivilDate(year: 2028, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
    }

    // MARK: Arithmetic

    @Test(
        "adding months clamps to the month's end",
        arguments: [
            ("2026-01-31", 1, "2026-02-28"),
            ("2028-01-31", 1, "2028-02-29"),
            ("2026-03-31", -1, "2026-02-28"),
            ("2026-05-31", 1, "2026-06-30"),
            ("2026-12-15", 1, "2027-01-15"),
            ("2026-01-15", -1, "2025-12-15"),
            ("2026-01-15", -13, "2024-12-15"),
            ("2028-02-29", 12, "2029-02-28"),
            ("2028-02-29", 48, "2032-02-29"),
            ("2026-10-01", 12, "2027-10-01"),
            ("2026-08-31", 0, "2026-08-31"),
        ])
    func addingMonths(start: String, months: Int, expected: String) {
        #expect(day(start).adding(months: months) == day(expected))
    }

    @Test func addingDaysAcrossBoundaries() {
        #expect(day("2026-12-31").adding(days: 1) == day("2027-01-01"))
        #expect(day("2027-01-01").adding(days: -1) == day("2026-12-31"))
        #expect(day("2028-02-28").adding(days: 1) == day("2028-02-29"))
        #expect(day("2028-02-28").adding(days: 2) == day("2028-03-01"))
        #expect(day("2027-02-28").adding(days: 1) == day("2027-03-01"))
        #expect(day("2026-11-25").adding(days: 393) == day("2027-12-23"))
        #expect(day("2026-10-01").days(to: day("2027-09-30")) == 364)
        #expect(day("2027-09-30").days(to: day("2026-10-01")) == -364)
    }

    @Test func monthBounds() {
        let leapFebruary = day("2028-02-10")
        #expect(leapFebruary.firstOfMonth == day("2028-02-01"))
        #expect(leapFebruary.lastOfMonth == day("2028-02-29"))
        #expect(leapFebruary.daysInMonth == 29)
        #expect(day("2026-11-26").lastOfMonth == day("2026-11-30"))
        #expect(day("2026-12-31").firstOfMonth == day("2026-12-01"))
    }

    @Test func ordering() {
        #expect(day("2026-12-31") < day("2027-01-01"))
        #expect(day("2026-02-28") < day("2026-03-01"))
        #expect(!(day("2026-03-01") < day("2026-03-01")))
        #expect(
            [day("2027-01-01"), day("2026-01-02"), day("2026-12-31")].sorted()
                == [day("2026-01-02"), day("2026-12-31"), day("2027-01-01")])
    }

    // MARK: Instants and zones

    @Test(
        "the calendar day of an instant in London",
        arguments: [
            ("2026-03-29T00:59:59Z", "2026-03-29"),
            ("2026-03-29T01:30:00Z", "2026-03-29"),  // 02:30 BST
            ("2026-03-28T23:30:00Z", "2026-03-28"),  // still GMT
            ("2026-10-24T23:30:00Z", "2026-10-25"),  // 00:30 BST
            ("2026-10-25T23:30:00Z", "2026-10-25"),  // 23:30 GMT
            ("2026-06-30T22:59:59Z", "2026-06-30"),
            ("2026-06-30T23:00:00Z", "2026-07-01"),  // midnight BST
            ("2026-12-31T23:59:59Z", "2026-12-31"),
            ("2027-01-01T00:00:00Z", "2027-01-01"),
        ])
    func dayInLondon(text: String, expected: String) {
        #expect(CivilDate(instant(text), in: london) == day(expected))
    }

    @Test func dayInOtherZones() {
        #expect(CivilDate(instant("2026-12-31T15:00:00Z"), in: TimeZone(identifier: "Asia/Tokyo")!) == day("2027-01-01"))
        #expect(CivilDate(instant("2026-12-31T14:59:59Z"), in: TimeZone(identifier: "Asia/Tokyo")!) == day("2026-12-31"))
        #expect(CivilDate(instant("2027-01-01T07:59:59Z"), in: TimeZone(identifier: "America/Los_Angeles")!) == day("2026-12-31"))
        #expect(CivilDate(instant("2027-01-01T08:00:00Z"), in: TimeZone(identifier: "America/Los_Angeles")!) == day("2027-01-01"))
        #expect(CivilDate(instant("2026-11-26T18:30:00Z"), in: TimeZone(identifier: "Asia/Kolkata")!) == day("2026-11-27"))
    }

    @Test func instantsBeforeTheEpoch() {
        #expect(CivilDate(Date(timeIntervalSince1970: -1), in: utc) == day("1969-12-31"))
        #expect(CivilDate(Date(timeIntervalSince1970: -0.5), in: utc) == day("1969-12-31"))
        #expect(CivilDate(Date(timeIntervalSince1970: -86_400), in: utc) == day("1969-12-31"))
        #expect(CivilDate(Date(timeIntervalSince1970: -86_401), in: utc) == day("1969-12-30"))
        #expect(CivilDate(Date(timeIntervalSince1970: 86_399.9), in: utc) == day("1970-01-01"))
    }

    @Test(
        "the instant a day starts",
        arguments: [
            ("2026-03-29", "2026-03-29T00:00:00Z"),  // BST starts at 01:00 UTC, after midnight
            ("2026-03-30", "2026-03-29T23:00:00Z"),  // first full BST day
            ("2026-10-25", "2026-10-24T23:00:00Z"),  // midnight is still BST
            ("2026-10-26", "2026-10-26T00:00:00Z"),
            ("2026-07-01", "2026-06-30T23:00:00Z"),
        ])
    func startInstantInLondon(text: String, expected: String) {
        #expect(day(text).startInstant(in: london) == instant(expected))
    }

    @Test func startInstantInUTC() {
        #expect(day("1970-01-01").startInstant(in: utc) == Date(timeIntervalSince1970: 0))
        #expect(day("2026-11-26").startInstant(in: utc) == instant("2026-11-26T00:00:00Z"))
    }

    /// Where a zone skips midnight itself (Chile, Cuba, Egypt, Lebanon change
    /// clocks at 00:00), the day starts at the change.
    @Test(
        "days whose midnight is skipped",
        arguments: [
            ("America/Santiago", "2026-09-06", "2026-09-06T04:00:00Z"),  // 00:00 -04 becomes 01:00 -03
            ("America/Havana", "2026-03-08", "2026-03-08T05:00:00Z"),  // 00:00 CST becomes 01:00 CDT
            ("Africa/Cairo", "2026-04-24", "2026-04-23T22:00:00Z"),  // 00:00 EET becomes 01:00 EEST
        ])
    func startInstantWhenMidnightIsSkipped(zone: String, text: String, expected: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        #expect(day(text).startInstant(in: timeZone) == instant(expected))
    }

    /// For every day of 2025-2027 in zones with all kinds of offsets and
    /// daylight-saving rules: the start instant is on that day and the second
    /// before it is on the day before.
    @Test(arguments: [
        "Europe/London", "America/New_York", "America/Santiago", "America/Havana", "Africa/Cairo",
        "Asia/Beirut", "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Kiritimati", "Asia/Kolkata",
        "America/St_Johns", "UTC",
    ])
    func startInstantIsTheFirstSecondOfTheDay(zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        var wrong: [String] = []
        for n in day("2025-01-01").dayNumber...day("2027-12-31").dayNumber {
            let date = CivilDate(dayNumber: n)
            let start = date.startInstant(in: timeZone)
            let onDay = CivilDate(start, in: timeZone)
            let before = CivilDate(start.addingTimeInterval(-1), in: timeZone)
            if onDay != date || before != date.adding(days: -1) {
                wrong.append("\(date) starts at \(start): that is \(onDay), a second earlier is \(before)")
            }
        }
        #expect(wrong.isEmpty)
    }

    // MARK: Text forms

    @Test func azureUsageDate() {
        #expect(CivilDate(yyyymmdd: 20_261_126) == day("2026-11-26"))
        #expect(day("2026-11-26").yyyymmdd == 20_261_126)
        #expect(day("2027-01-05").yyyymmdd == 20_270_105)
        #expect(CivilDate(yyyymmdd: 20_280_229) == day("2028-02-29"))
        #expect(CivilDate(yyyymmdd: 20_270_229) == nil)
        #expect(CivilDate(yyyymmdd: 20_261_301) == nil)
        #expect(CivilDate(yyyymmdd: 20_260_100) == nil)
        #expect(CivilDate(yyyymmdd: 20_260_132) == nil)
    }

    @Test func isoText() {
        let parsed = CivilDate(iso8601: "2026-11-26")
        #expect(parsed?.year == 2026 && parsed?.month == 11 && parsed?.day == 26)
        #expect(day("2027-01-05").description == "2027-01-05")
        #expect(day("2027-01-05").iso8601 == "2027-01-05")
        #expect(CivilDate(dayNumber: -700_000).iso8601.count == 10)  // year 53: zero-padded to four digits
        #expect(CivilDate(year: 999, month: 3, day: 4)?.iso8601 == "0999-03-04")
    }

    @Test(
        "ISO text that is not a real YYYY-MM-DD day",
        arguments: [
            "2026-13-01", "2026-1-1", "2026-01-1", "2026-02-29", "2026-00-10", "2026-01-00", "26-01-01",
            "2026/01/01", "2026-01-01T00:00", "", "2026-01", "2026-01-01-", "2026-+1-01", "2026-01-+1", "+026-01-01", "20261126",
        ])
    func rejectsMalformedISOText(text: String) {
        #expect(CivilDate(iso8601: text) == nil)
    }
}

@Suite("DayRange")
struct DayRangeTests {
    @Test func rangeBasics() throws {
        let period = try #require(DayRange(day("2026-10-01"), day("2027-09-30")))
        #expect(period.count == 365)
        #expect(period.contains(day("2026-10-01")))
        #expect(period.contains(day("2027-09-30")))
        #expect(!period.contains(day("2026-09-30")))
        #expect(!period.contains(day("2027-10-01")))
        #expect(period.description == "2026-10-01..2027-09-30")
        #expect(DayRange(day("2026-10-02"), day("2026-10-01")) == nil)
        #expect(DayRange(day("2026-10-01"), day("2026-10-01"))?.count == 1)
    }

    @Test func iterationVisitsEveryDayOnce() throws {
        let leapFebruary = try #require(DayRange(day("2028-02-27"), day("2028-03-02")))
        #expect(Array(leapFebruary) == ["2028-02-27", "2028-02-28", "2028-02-29", "2028-03-01", "2028-03-02"].map(day))
        #expect(leapFebruary.count == 5)
    }

    @Test func clamping() throws {
        let period = try #require(DayRange(day("2026-11-23"), day("2027-11-22")))
        let window = try #require(DayRange(day("2026-11-19"), day("2026-11-25")))
        #expect(window.clamped(to: period) == DayRange(day("2026-11-23"), day("2026-11-25")))
        #expect(period.clamped(to: window) == DayRange(day("2026-11-23"), day("2026-11-25")))
        let before = try #require(DayRange(day("2026-11-01"), day("2026-11-22")))
        #expect(before.clamped(to: period) == nil)
    }
}
