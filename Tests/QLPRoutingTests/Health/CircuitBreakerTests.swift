import Testing

@testable import QLPRouting

@Suite struct CircuitBreakerTests {
    let settings = CircuitBreaker.Settings(window: 10, minimumRequests: 5, failureRatio: 0.5, openFor: 5)

    /// `admit` mutates, which #expect cannot call directly.
    func admits(_ breaker: inout CircuitBreaker, now: Double) -> Bool {
        breaker.admit(now: now)
    }

    @Test func opensOnFailureRatioOverTheWindow() {
        var breaker = CircuitBreaker(settings: settings)
        // Alternate: 3 successes, 2 failures (40%) keeps it closed.
        for (index, success) in [true, false, true, false, true].enumerated() {
            let admitted = breaker.admit(now: Double(index) * 0.1)
            #expect(admitted)
            breaker.record(success: success, now: Double(index) * 0.1)
        }
        #expect(breaker.state(now: 0.5) == .closed)
        // One more failure: 3 of 6 = 50%.
        breaker.record(success: false, now: 0.6)
        #expect(breaker.state(now: 0.6) == .open)
        #expect(!admits(&breaker, now: 1))
    }

    @Test func belowMinimumRequestsTheRatioDoesNotCount() {
        var breaker = CircuitBreaker(settings: settings)
        breaker.record(success: true, now: 0)
        for time in [0.1, 0.2, 0.3] { breaker.record(success: false, now: time) }
        #expect(breaker.state(now: 0.3) == .closed)  // 3 of 4 failed, but only 4 requests
    }

    @Test func oldOutcomesLeaveTheWindow() {
        var breaker = CircuitBreaker(settings: settings)
        for time in [0.0, 0.1, 0.2, 0.3] { breaker.record(success: false, now: time) }
        breaker.record(success: true, now: 0.4)
        // Eleven seconds later the early outcomes are gone. Counted with them the
        // window would hold 6 failures in 9 requests and open.
        for time in [11.0, 11.1] { breaker.record(success: true, now: time) }
        for time in [11.2, 11.3] { breaker.record(success: false, now: time) }
        #expect(breaker.state(now: 11.3) == .closed)  // 2 of 4 in the window
    }

    @Test func consecutiveFailuresOpenItEvenAcrossWindows() {
        var breaker = CircuitBreaker(settings: CircuitBreaker.Settings(window: 1, minimumRequests: 3, failureRatio: 0.9, openFor: 5))
        for time in [0.0, 2.0, 4.0] { breaker.record(success: false, now: time) }
        #expect(breaker.state(now: 4) == .open)
    }

    @Test func halfOpenAdmitsOneTrialAndItsOutcomeDecides() {
        var breaker = CircuitBreaker(settings: settings)
        for time in 0..<5 { breaker.record(success: false, now: Double(time) * 0.01) }
        #expect(breaker.state(now: 1) == .open)
        #expect(!admits(&breaker, now: 4.9))
        #expect(breaker.state(now: 5.1) == .halfOpen)
        #expect(admits(&breaker, now: 5.1))
        #expect(!admits(&breaker, now: 5.2))  // one trial at a time
        breaker.record(success: false, now: 5.5)  // the trial fails: open again for openFor
        #expect(breaker.state(now: 10.4) == .open)
        #expect(admits(&breaker, now: 10.6))
        breaker.record(success: true, now: 10.7)  // the trial succeeds: closed, window reset
        #expect(breaker.state(now: 10.7) == .closed)
        breaker.record(success: false, now: 10.8)
        #expect(breaker.state(now: 10.8) == .closed)
    }

    @Test func aTrialThatNeverReportsIsReplacedAfterOpenFor() {
        var breaker = CircuitBreaker(settings: settings)
        for time in 0..<5 { breaker.record(success: false, now: Double(time) * 0.01) }
        #expect(admits(&breaker, now: 6))
        #expect(!admits(&breaker, now: 10))
        #expect(admits(&breaker, now: 11.5))
    }

    @Test func failuresWhileOpenDoNotExtendIt() {
        var breaker = CircuitBreaker(settings: settings)
        for time in 0..<5 { breaker.record(success: false, now: Double(time) * 0.01) }
        // Requests admitted before it opened fail later.
        breaker.record(success: false, now: 3)
        breaker.record(success: false, now: 4.9)
        breaker.record(success: true, now: 4.95)
        #expect(breaker.state(now: 4.99) == .open)
        #expect(breaker.state(now: 5.05) == .halfOpen)
    }

    @Test func holdOpenKeepsItOpenUntilRetryAfterAndNeverShortens() {
        var breaker = CircuitBreaker(settings: settings)
        breaker.holdOpen(forSeconds: 30, now: 0)
        #expect(!admits(&breaker, now: 29.9))
        breaker.holdOpen(forSeconds: 10, now: 0)
        #expect(breaker.state(now: 20) == .open)
        #expect(admits(&breaker, now: 30))
        breaker.record(success: true, now: 30.5)
        #expect(breaker.state(now: 30.5) == .closed)
    }

    @Test func finding12_aRetryAfterHoldIsCappedAtOpenForsMaximum() {
        for asked in [1e308, Double.infinity, 3601] {
            var breaker = CircuitBreaker(settings: settings)
            breaker.holdOpen(forSeconds: asked, now: 100)
            #expect(breaker.state(now: 100 + 3599.9) == .open, "asked \(asked)")
            #expect(breaker.state(now: 100 + 3600) == .halfOpen, "asked \(asked)")
        }
        var breaker = CircuitBreaker(settings: settings)
        breaker.holdOpen(forSeconds: .nan, now: 0)
        breaker.holdOpen(forSeconds: -5, now: 0)
        #expect(breaker.state(now: 0) == .closed)
    }

    @Test func aLongSteadyRunBelowTheRatioNeverOpensIt() {
        var breaker = CircuitBreaker(settings: settings)
        // Hours of 1-in-4 failures at 10 requests/s never opens it.
        var time = 0.0
        for index in 0..<200_000 where index % 97 != 0 {
            breaker.record(success: index % 4 != 0, now: time)
            time += 0.1
        }
        #expect(breaker.state(now: time) == .closed)
    }
}
