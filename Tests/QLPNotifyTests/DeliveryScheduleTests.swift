import Foundation
import QLPNotify
import Testing

@Suite("Delivery schedule")
struct DeliveryScheduleTests {
    let t0 = NotifyFixtures.t0

    /// The waits a run of failures gets, read off the decisions with a clock stepped to each retry.
    @Test func failuresBackOffTimesThreeUpToTenMinutesThenGiveUpAfterEight() {
        var schedule = DeliverySchedule(queuedAt: t0)
        var now = t0
        var waits: [TimeInterval] = []
        var last: DeliverySchedule.Decision?
        for _ in 1...8 {
            last = schedule.record(.answered(status: 502, retryAfter: nil, excerpt: "bad gateway"), at: now)
            guard case .retry(let at, let reason)? = last else { break }
            #expect(reason == "HTTP 502: bad gateway")
            waits.append(at.timeIntervalSince(now))
            now = at
        }
        #expect(waits == [5, 15, 45, 135, 405, 600, 600])
        #expect(last == .failed(reason: "gave up after 8 attempts; the last: HTTP 502: bad gateway"))
        #expect(schedule.attempts == 8)
    }

    @Test func aSuccessIsDelivered() {
        var schedule = DeliverySchedule(queuedAt: t0, attempts: 3)
        #expect(schedule.record(.answered(status: 204, retryAfter: nil, excerpt: ""), at: t0) == .delivered)
        #expect(schedule.record(.accepted(detail: "250 queued"), at: t0) == .delivered)
    }

    @Test func aRefusalFailsAtOnceWithTheStatusAndTheAnswer() {
        var schedule = DeliverySchedule(queuedAt: t0)
        #expect(
            schedule.record(.answered(status: 404, retryAfter: nil, excerpt: "no_service"), at: t0)
                == .failed(reason: "the receiver refused it: HTTP 404: no_service"))
        var redirected = DeliverySchedule(queuedAt: t0)
        guard case .failed(let reason) = redirected.record(.answered(status: 302, retryAfter: nil, excerpt: ""), at: t0) else {
            Issue.record("a redirect was retried")
            return
        }
        #expect(reason.contains("HTTP 302") && reason.contains("redirects are not followed"))
    }

    @Test func timeoutsThrottlesAndNetworkErrorsAreRetried() {
        for attempt: DeliverySchedule.Attempt in [
            .answered(status: 408, retryAfter: nil, excerpt: ""),
            .answered(status: 429, retryAfter: nil, excerpt: ""),
            .answered(status: 500, retryAfter: nil, excerpt: ""),
            .unreachable(summary: "cannot connect (https://alerts.example.com)"),
        ] {
            var schedule = DeliverySchedule(queuedAt: t0)
            #expect(schedule.record(attempt, at: t0) != .delivered)
            guard case .retry(let at, _) = schedule.record(attempt, at: t0) else {
                Issue.record("\(attempt) was not retried")
                continue
            }
            #expect(at == t0.addingTimeInterval(15))
        }
    }

    @Test func retryAfterIsHonouredOn429And503AndCappedAtTenMinutes() {
        var schedule = DeliverySchedule(queuedAt: t0)
        #expect(
            schedule.record(.answered(status: 429, retryAfter: .seconds(90), excerpt: ""), at: t0)
                == .retry(at: t0.addingTimeInterval(90), reason: "HTTP 429"))
        #expect(
            schedule.record(.answered(status: 503, retryAfter: .seconds(7200), excerpt: "busy"), at: t0)
                == .retry(at: t0.addingTimeInterval(600), reason: "HTTP 503: busy"))
        // A 500's Retry-After is not a throttle: the backoff holds (third failure: 45 s).
        #expect(
            schedule.record(.answered(status: 500, retryAfter: .seconds(300), excerpt: ""), at: t0)
                == .retry(at: t0.addingTimeInterval(45), reason: "HTTP 500"))
    }

    @Test func nothingIsRetriedMoreThanADayAfterItWasQueued() {
        var schedule = DeliverySchedule(queuedAt: t0, attempts: 2)
        let late = t0.addingTimeInterval(24 * 3600 - 10)
        guard case .failed(let reason) = schedule.record(.unreachable(summary: "timed out after 15 s"), at: late) else {
            Issue.record("retried past the day")
            return
        }
        #expect(reason == "gave up after 3 attempts over 23 h 59 min; the last: timed out after 15 s")
    }

    @Test func whatCannotBeSentFailsAtOnce() {
        var schedule = DeliverySchedule(queuedAt: t0)
        #expect(
            schedule.record(.impossible(reason: "email is not available in this build"), at: t0)
                == .failed(reason: "email is not available in this build"))
    }
}
