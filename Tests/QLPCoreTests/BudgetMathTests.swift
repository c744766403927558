import Foundation
import Testing

@testable import QLPCore

private func d(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))! }
private func day(_ text: String) -> CivilDate { CivilDate(iso8601: text)! }
private func range(_ first: String, _ last: String) -> DayRange { DayRange(day(first), day(last))! }

/// A spend series from (day, amount) pairs.
private func spend(_ rows: [(String, String)]) -> DailySpend {
    var series = DailySpend()
    for (text, amount) in rows { series.add(d(amount), on: day(text)) }
    return series
}

private let creditPeriod = range("2026-10-01", "2027-09-30")

@Suite("DailySpend")
struct DailySpendTests {
    @Test func sumsPerDayExactly() {
        var series = DailySpend()
        for _ in 0..<10 { series.add(d("0.1"), on: day("2026-11-01")) }
        series.add(d("0.00000001"), on: day("2026-11-02"))
        #expect(series.amount(on: day("2026-11-01")) == d("1"))
        #expect(series.amount(on: day("2026-11-02")) == d("0.00000001"))
        #expect(series.amount(on: day("2026-11-03")) == 0)
        #expect(series.total == d("1.00000001"))
        #expect(series.days == [day("2026-11-01"), day("2026-11-02")])
    }

    /// `total(in:)` walks the range or the recorded days, whichever is shorter;
    /// both ways must give the same sums.
    @Test func totalInRangeBothWays() {
        let series = spend([("2026-11-01", "1"), ("2026-11-03", "2"), ("2026-11-05", "4"), ("2026-11-30", "8"), ("2026-12-01", "16")])
        #expect(series.total(in: range("2026-11-03", "2026-11-03")) == d("2"))  // short range
        #expect(series.total(in: range("2026-11-02", "2026-11-04")) == d("2"))
        #expect(series.total(in: range("2026-11-01", "2026-11-30")) == d("15"))  // long range
        #expect(series.total(in: range("2026-10-01", "2027-09-30")) == d("31"))
        #expect(series.total(in: range("2026-11-06", "2026-11-29")) == 0)
        #expect(series.total(in: range("2027-01-01", "2027-12-31")) == 0)
    }

    @Test func firstDayReaching() {
        let series = spend([("2026-11-03", "600"), ("2026-11-01", "500"), ("2026-11-02", "400")])
        #expect(series.firstDayReaching(d("500")) == day("2026-11-01"))
        #expect(series.firstDayReaching(d("900")) == day("2026-11-02"))  // exactly reached counts
        #expect(series.firstDayReaching(d("900.01")) == day("2026-11-03"))
        #expect(series.firstDayReaching(d("1500")) == day("2026-11-03"))
        #expect(series.firstDayReaching(d("1500.01")) == nil)
        #expect(DailySpend().firstDayReaching(d("1")) == nil)
    }
}

@Suite("Service to bucket mapping")
struct ServiceCategoryMapTests {
    let map = ServiceCategoryMap(allocations: [
        CategoryAllocation(category: .compute, amount: d("2000"), services: ["Virtual Machine Scale Sets", "Virtual Machines"]),
        CategoryAllocation(category: .azureOpenAI, amount: d("1500"), services: ["Azure AI Services"]),
    ])

    @Test(arguments: [
        ("Virtual Machine Scale Sets", CreditCategory.compute),
        ("virtual machine scale sets", .compute),
        ("VIRTUAL MACHINE SCALE SETS", .compute),
        ("  Virtual Machine Scale Sets ", .compute),
        ("virtual machines", .compute),
        ("azure ai services", .azureOpenAI),
    ])
    func matchesCaseInsensitively(service: String, category: CreditCategory) {
        #expect(map.category(for: service) == category)
    }

    @Test(arguments: ["Virtual Machine", "VirtualMachineScaleSets", "Azure AI", "Bandwidth", ""])
    func unknownServicesAreUnmapped(service: String) {
        #expect(map.category(for: service) == nil)
    }
}

@Suite("Burn rate")
struct BurnRateTests {
    /// Today is 2026-11-26: the window is 19...25 November; today's row is not in it.
    let series = spend([
        ("2026-11-18", "1000"),  // before the window
        // The 21st has no rows.
        ("2026-11-19", "10"), ("2026-11-20", "20"), ("2026-11-22", "30"),
        ("2026-11-23", "5.50"), ("2026-11-24", "0"), ("2026-11-25", "4.50"),
        ("2026-11-26", "500"),  // today, partial
    ])

    @Test func averagesTheLastSevenCompleteDays() throws {
        let rate = try #require(BurnRate.trailing(series, today: day("2026-11-26"), period: creditPeriod))
        #expect(rate.days == 7)
        #expect(rate.perDay == d("10"))  // 70 / 7
    }

    @Test func windowMovesWithToday() throws {
        // Today 2026-11-27: 20...26 November = 20 + 30 + 5.50 + 4.50 + 500 = 560 over 7 days.
        let rate = try #require(BurnRate.trailing(series, today: day("2026-11-27"), period: creditPeriod))
        #expect(rate == BurnRate(perDay: d("80"), days: 7))
    }

    @Test func aYoungCreditPeriodCountsOnlyItsDays() throws {
        // The credit started 2026-11-23: only 23, 24, 25 November are complete days in it.
        let young = range("2026-11-23", "2027-11-22")
        let rate = try #require(BurnRate.trailing(series, today: day("2026-11-26"), period: young))
        #expect(rate.days == 3)
        #expect(rate.perDay.rounded(scale: 20) == d("3.33333333333333333333"))  // (5.50 + 0 + 4.50) / 3
    }

    @Test func noCompleteDayMeansNoRate() {
        let starting = range("2026-11-26", "2027-11-25")
        #expect(BurnRate.trailing(series, today: day("2026-11-26"), period: starting) == nil)
        // Before the credit even starts.
        #expect(BurnRate.trailing(series, today: day("2026-11-20"), period: starting) == nil)
    }

    @Test func firstDayOfTheCreditHasOneCompleteDayNextMorning() throws {
        let starting = range("2026-11-25", "2027-11-24")
        let rate = try #require(BurnRate.trailing(series, today: day("2026-11-26"), period: starting))
        #expect(rate == BurnRate(perDay: d("4.50"), days: 1))
    }

    @Test func afterExpiryOnlyDaysInsideThePeriodCount() throws {
        // Expired 2026-11-22: today 2026-11-26 leaves 19...22 November (10 + 20 + 0 + 30 = 60 over 4 days).
        let expired = range("2026-10-01", "2026-11-22")
        let rate = try #require(BurnRate.trailing(series, today: day("2026-11-26"), period: expired))
        #expect(rate == BurnRate(perDay: d("15"), days: 4))
    }

    @Test func otherWindowLengths() throws {
        let rate = try #require(BurnRate.trailing(series, today: day("2026-11-26"), period: creditPeriod, windowDays: 2))
        #expect(rate == BurnRate(perDay: d("2.25"), days: 2))  // (0 + 4.50) / 2
    }
}

@Suite("Credit exhaustion")
struct CreditExhaustionTests {
    let today = day("2026-11-26")

    private func project(_ allocation: String, _ series: DailySpend, period: DayRange = creditPeriod) -> CreditExhaustion {
        let rate = BurnRate.trailing(series, today: today, period: period)
        return CreditExhaustion.project(allocation: d(allocation), spend: series, rate: rate, today: today, period: period)
    }

    /// 1000 earlier, then 10 a day for the seven days before today.
    private var tenADay: DailySpend {
        var rows = [("2026-10-10", "1000")]
        for n in 19...25 { rows.append(("2026-11-\(n)", "10")) }
        return spend(rows)
    }

    @Test func projectsFromTheLastCompleteDay() {
        // Spent through 25 Nov: 1070. Remaining 2000 - 1070 = 930 at 10/day = 93 days after 25 Nov.
        #expect(project("2000", tenADay) == .projected(on: day("2027-02-26"), beforeExpiry: true))
        // 5000 - 1070 = 3930 -> 393 days -> after the credit expires on 2027-09-30.
        #expect(project("5000", tenADay) == .projected(on: day("2027-12-23"), beforeExpiry: false))
    }

    @Test func roundsPartDaysUp() {
        // 2005 - 1070 = 935 at 10/day = 93.5 -> the 94th day.
        #expect(project("2005", tenADay) == .projected(on: day("2027-02-27"), beforeExpiry: true))
        // 1070.01 needs one more penny: the next day.
        #expect(project("1070.01", tenADay) == .projected(on: day("2026-11-26"), beforeExpiry: true))
    }

    @Test func todaysPartialSpendIsNotInTheBasis() {
        var series = tenADay
        series.add(d("300"), on: today)  // today: not complete, not counted in the projection's basis
        #expect(project("2000", series) == .projected(on: day("2027-02-26"), beforeExpiry: true))
    }

    @Test func projectionOnTheLastDayOfTheCreditIsBeforeExpiry() {
        // 1070 + n * 10 >= A with n = 309 (25 Nov + 309 = 30 Sep 2027): A = 4160.
        #expect(project("4160", tenADay) == .projected(on: day("2027-09-30"), beforeExpiry: true))
        #expect(project("4160.01", tenADay) == .projected(on: day("2027-10-01"), beforeExpiry: false))
    }

    /// A rate that no decimal writes exactly (100 / 7 a day) still lands on the
    /// day the exact arithmetic gives: 100 + 14 x 100/7 = 300, so 300 is
    /// reached on the 14th day, not the 15th.
    @Test func exactMultipleOfARepeatingRate() throws {
        var rows: [(String, String)] = []
        for n in 19...25 { rows.append(("2026-11-\(n)", n == 19 ? "40" : "10")) }  // 40 + 6 x 10 = 100
        let series = spend(rows)
        #expect(project("300", series) == .projected(on: day("2026-12-09"), beforeExpiry: true))
        #expect(project("300.01", series) == .projected(on: day("2026-12-10"), beforeExpiry: true))
        // 10 over three days (10/3 a day), 20 remaining -> exactly 6 days.
        let young = range("2026-11-23", "2027-11-22")
        let three = spend([("2026-11-23", "3"), ("2026-11-24", "3"), ("2026-11-25", "4")])
        #expect(project("30", three, period: young) == .projected(on: day("2026-12-01"), beforeExpiry: true))
    }

    @Test func exhaustedOnTheDayTheRunningTotalReachedTheAllocation() {
        let series = spend([("2026-10-05", "900"), ("2026-10-06", "600"), ("2026-10-07", "50"), ("2026-11-25", "5")])
        #expect(project("1500", series) == .exhausted(on: day("2026-10-06")))  // exactly 1500 on the 6th
        #expect(project("1499.99", series) == .exhausted(on: day("2026-10-06")))
        #expect(project("1500.01", series) == .exhausted(on: day("2026-10-07")))
        #expect(project("900", series) == .exhausted(on: day("2026-10-05")))
    }

    @Test func todaysSpendCanExhaust() {
        var series = tenADay
        series.add(d("930"), on: today)
        #expect(project("2000", series) == .exhausted(on: today))
    }

    @Test func nothingSpentNeverRunsOut() {
        #expect(project("2000", DailySpend()) == .notAtCurrentRate)
        // Spend long ago but none in the last seven days.
        #expect(project("2000", spend([("2026-10-02", "99")])) == .notAtCurrentRate)
    }

    @Test func noCompleteDayIsUnknown() {
        let starting = range("2026-11-26", "2027-11-25")
        #expect(project("2000", spend([("2026-11-26", "5")]), period: starting) == .unknown)
        #expect(project("2000", DailySpend(), period: starting) == .unknown)
        // ...but an allocation already used up is exhausted whatever the rate.
        #expect(project("5", spend([("2026-11-26", "5")]), period: starting) == .exhausted(on: today))
    }

    @Test func zeroAllocation() {
        #expect(project("0", DailySpend()) == .notAtCurrentRate)
        #expect(project("0", spend([("2026-11-01", "0"), ("2026-11-02", "0.01")])) == .exhausted(on: day("2026-11-02")))
    }
}

@Suite("Month-end projection")
struct MonthEndProjectionTests {
    /// Every day of November has rows, so only the day count gates it.
    let november: DailySpend = {
        var series = DailySpend()
        for n in 1...30 { series.add(d("\(n)"), on: CivilDate(year: 2026, month: 11, day: n)!) }
        return series
    }()

    @Test("nil before three complete days", arguments: [1, 2, 3])
    func tooEarly(dayOfMonth: Int) throws {
        let today = try #require(CivilDate(year: 2026, month: 11, day: dayOfMonth))
        #expect(MonthEndProjection.linear(november, today: today) == nil)
    }

    @Test func fromTheFourthDay() {
        // 1 + 2 + 3 = 6 over 3 days, scaled to 30 days = 60; today's 4 is not in it.
        #expect(
            MonthEndProjection.linear(november, today: day("2026-11-04"))
                == MonthEndProjection(amount: d("60"), basisDays: 3, daysInMonth: 30))
    }

    @Test func lastDayOfTheMonth() {
        // 1 + ... + 29 = 435 over 29 days -> 15 a day -> 450.
        #expect(
            MonthEndProjection.linear(november, today: day("2026-11-30"))
                == MonthEndProjection(amount: d("450"), basisDays: 29, daysInMonth: 30))
    }

    @Test func leapFebruaryHas29Days() {
        var series = DailySpend()
        for n in 1...29 { series.add(d("10"), on: CivilDate(year: 2028, month: 2, day: n)!) }
        // Today 29 Feb: 280 over 28 days -> 290 over 29.
        #expect(
            MonthEndProjection.linear(series, today: day("2028-02-29"))
                == MonthEndProjection(amount: d("290"), basisDays: 28, daysInMonth: 29))
    }

    @Test func ignoresTheMonthBefore() {
        let series = spend([("2026-11-30", "1000"), ("2026-12-01", "3"), ("2026-12-02", "3"), ("2026-12-03", "3")])
        #expect(
            MonthEndProjection.linear(series, today: day("2026-12-04"))
                == MonthEndProjection(amount: d("93"), basisDays: 3, daysInMonth: 31))
    }
}

@Suite("Threshold state")
struct ThresholdStateTests {
    let thresholds = [d("80"), d("95")]

    @Test(arguments: [
        ("0", ThresholdState.clear),
        ("799.99", .clear),
        ("800", .crossed(threshold: 80)),  // GreaterThanOrEqualTo
        ("800.01", .crossed(threshold: 80)),
        ("949.90", .crossed(threshold: 80)),  // 94.99%
        ("949.99", .crossed(threshold: 80)),
        ("950", .crossed(threshold: 95)),
        ("999.99", .crossed(threshold: 95)),
        ("1000", .exceeded),
        ("1500", .exceeded),
        ("-20", .clear),  // refunds
    ])
    func againstTheMonthlyBudget(spent: String, state: ThresholdState) {
        #expect(ThresholdState.evaluate(spent: d(spent), amount: d("1000"), thresholds: thresholds) == state)
    }

    @Test func thresholdOrderDoesNotMatter() {
        #expect(
            ThresholdState.evaluate(spent: d("960"), amount: d("1000"), thresholds: [d("95"), d("80")])
                == .crossed(threshold: 95))
        #expect(ThresholdState.evaluate(spent: d("960"), amount: d("1000"), thresholds: []) == .clear)
    }

    @Test func thresholdsAtOrAbove100AreCoveredByExceeded() {
        #expect(ThresholdState.evaluate(spent: d("1050"), amount: d("1000"), thresholds: [d("80"), d("110")]) == .exceeded)
        #expect(ThresholdState.evaluate(spent: d("999"), amount: d("1000"), thresholds: [d("110")]) == .clear)
    }

    @Test func zeroBudget() {
        #expect(ThresholdState.evaluate(spent: 0, amount: 0, thresholds: thresholds) == .clear)
        #expect(ThresholdState.evaluate(spent: d("0.01"), amount: 0, thresholds: thresholds) == .exceeded)
    }

    @Test func statesAreOrderedBySeverity() {
        #expect(ThresholdState.clear < .crossed(threshold: 80))
        #expect(ThresholdState.crossed(threshold: 80) < .crossed(threshold: 95))
        #expect(ThresholdState.crossed(threshold: 95) < .exceeded)
        #expect([ThresholdState.exceeded, .clear, .crossed(threshold: 95)].max() == .exceeded)
    }
}
