import Foundation
import QLPCore
import Testing

/// ISO 8601 weeks: Monday start, week 1 holds the year's first Thursday.
@Suite struct ISOWeekTests {
    func day(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }

    @Test func weekOneCanStartInDecember() throws {
        // 1 January 2026 is a Thursday: week 1 runs Monday 29 December 2025 to Sunday 4 January.
        let w1 = try #require(ISOWeek(year: 2026, week: 1))
        #expect(w1.monday == day(2025, 12, 29))
        #expect(w1.sunday == day(2026, 1, 4))
        #expect(ISOWeek(containing: day(2025, 12, 29)) == w1)
        #expect(ISOWeek(containing: day(2025, 12, 28)) == ISOWeek(year: 2025, week: 52))
        // 2025-W01 also starts in December (Monday 30 December 2024).
        #expect(ISOWeek(year: 2025, week: 1)?.monday == day(2024, 12, 30))
    }

    @Test func fiftyThreeWeekYears() throws {
        // A year has 53 weeks when it starts on a Thursday (2026, 2015) or is a
        // leap year starting on a Wednesday (2020).
        #expect(ISOWeek.weeks(in: 2026) == 53)
        #expect(ISOWeek.weeks(in: 2020) == 53)
        #expect(ISOWeek.weeks(in: 2015) == 53)
        #expect(ISOWeek.weeks(in: 2027) == 52)
        #expect(ISOWeek.weeks(in: 2024) == 52)
        let w53 = try #require(ISOWeek(year: 2026, week: 53))
        #expect(w53.monday == day(2026, 12, 28))
        #expect(w53.sunday == day(2027, 1, 3))
        #expect(ISOWeek(containing: day(2027, 1, 3)) == w53)
        #expect(w53.next == ISOWeek(year: 2027, week: 1))
        #expect(ISOWeek(year: 2027, week: 1)?.previous == w53)
        #expect(ISOWeek(year: 2027, week: 53) == nil)
        // 1 January 2021 belongs to 2020-W53.
        #expect(ISOWeek(containing: day(2021, 1, 1)) == ISOWeek(year: 2020, week: 53))
    }

    @Test func daylightSavingWeeksStillHaveSevenDaysButNotSevenTimesTwentyFourHours() throws {
        let london = try #require(TimeZone(identifier: "Europe/London"))
        // Clocks go forward on Sunday 29 March 2026 (W13) and back on Sunday 25 October 2026 (W43).
        let spring = try #require(ISOWeek(year: 2026, week: 13))
        let autumn = try #require(ISOWeek(year: 2026, week: 43))
        #expect(spring.days == DayRange(day(2026, 3, 23), day(2026, 3, 29)))
        #expect(autumn.days == DayRange(day(2026, 10, 19), day(2026, 10, 25)))
        for (week, hours) in [(spring, 167.0), (autumn, 169.0)] {
            #expect(week.days.count == 7)
            let start = week.monday.startInstant(in: london)
            let end = week.sunday.adding(days: 1).startInstant(in: london)
            #expect(end.timeIntervalSince(start) == hours * 3600, "\(week)")
        }
        // An instant late on the Sunday of the autumn change is still in W43 in London.
        let lateSunday = day(2026, 10, 25).startInstant(in: london).addingTimeInterval(24.5 * 3600)
        #expect(ISOWeek(containing: CivilDate(lateSunday, in: london)) == autumn)
    }

    @Test func parsingAndPrinting() {
        #expect(ISOWeek("2026-W47") == ISOWeek(year: 2026, week: 47))
        #expect(ISOWeek("2026W05") == ISOWeek(year: 2026, week: 5))
        #expect(ISOWeek(year: 2026, week: 5)?.description == "2026-W05")
        for bad in ["2026-W54", "2027-W53", "2026-W00", "2026-47", "26-W47", "2026-Wx7", ""] {
            #expect(ISOWeek(bad) == nil, "\(bad)")
        }
    }

    @Test func everyDayOfTwoCenturiesFallsInTheWeekWhoseDaysContainIt() {
        var day = CivilDate(year: 1950, month: 1, day: 1)!
        let end = CivilDate(year: 2150, month: 1, day: 1)!
        var wrong: [CivilDate] = []
        var previous = ISOWeek(containing: day)
        while day < end {
            let week = ISOWeek(containing: day)
            // Weeks advance by one exactly on Mondays, and each contains its days.
            let advanced = day.isoWeekday == 1 ? week == previous.next : week == previous
            if !week.days.contains(day) || week.monday.isoWeekday != 1 || (!advanced && day != CivilDate(year: 1950, month: 1, day: 1)!) {
                wrong.append(day)
            }
            previous = week
            day = day.adding(days: 1)
        }
        #expect(wrong.isEmpty, "first wrong day: \(wrong.first.map(\.description) ?? "")")
    }
}
