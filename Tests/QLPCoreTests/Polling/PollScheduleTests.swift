import QLPCore
import Testing

/// The one refresh schedule the cost, budget, Atlas and Monitor pollers share
/// (issue 12: they had three backoff rules, and Monitor had none), driven by
/// outcomes alone, with no clock.
@Suite struct PollScheduleTests {
    @Test func failuresBackOffFromFifteenSecondsToTheIntervalAndASuccessResets() {
        var schedule = PollSchedule(interval: .seconds(300))
        let waits = (0..<7).map { _ in schedule.failed() }
        #expect(waits == [.seconds(15), .seconds(30), .seconds(60), .seconds(120), .seconds(240), .seconds(300), .seconds(300)])
        #expect(schedule.failures == 7)
        #expect(schedule.succeeded() == .seconds(300))
        #expect(schedule.failures == 0)
        #expect(schedule.failed() == .seconds(15))
    }

    @Test func aShortIntervalRetriesAtItsOwnPace() {
        var schedule = PollSchedule(interval: .seconds(5))
        #expect((0..<4).map { _ in schedule.failed() } == [.seconds(5), .seconds(5), .seconds(5), .seconds(5)])
    }

    @Test func aThrottleIsWaitedOutJustPastItsWaitAndNeverUnderFiveSeconds() {
        var schedule = PollSchedule(interval: .seconds(60))
        #expect(schedule.failed(retryAfter: .seconds(42)) == .seconds(42) + .milliseconds(500))
        #expect(schedule.failed(retryAfter: .seconds(1)) == .seconds(5))
        // A throttle longer than the interval is still waited out.
        #expect(schedule.failed(retryAfter: .seconds(600)) == .seconds(600) + .milliseconds(500))
        // The backoff counted those failures: the next plain failure is well along.
        #expect(schedule.failed() == .seconds(60))
    }

    @Test func aFailureSoonerCannotMendWaitsTheInterval() {
        var schedule = PollSchedule(interval: .seconds(900))
        #expect(schedule.failedForGood() == .seconds(900))
        #expect(schedule.failures == 1)
    }

    @Test func manyFailuresNeverOverflow() {
        var schedule = PollSchedule(interval: .seconds(3600))
        for _ in 0..<10_000 { _ = schedule.failed() }
        #expect(schedule.failed() == .seconds(3600))
    }
}
