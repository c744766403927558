import Foundation
import QLPGateway
import QLPRouting
import Synchronization
import Testing

/// Issue 14, finding 12: an upstream's Retry-After holds a target's breaker
/// open for at most open_for's maximum (1 h), however long it asks.
@Suite struct BreakerRetryAfterCapTests {
    @Test(arguments: [1e308, Double.infinity, 9_223_372_036_854_775_808])  // 2^63, just past Int64
    func finding12_aHugeRetryAfterHoldsTheBreakerAtMostAnHour(retryAfter: Double) {
        let now = Mutex(1000.0)
        let board = TargetHealthBoard(
            breaker: CircuitBreaker.Settings(window: 10, minimumRequests: 5, failureRatio: 0.5, openFor: 5),
            clock: { now.withLock { $0 } })
        board.recordFailure("gpt-4", retryAfterSeconds: retryAfter)
        #expect(!board.health(for: "gpt-4").available)
        now.withLock { $0 = 1000 + 3599 }
        #expect(!board.health(for: "gpt-4").available, "held for the hour")
        now.withLock { $0 = 1000 + 3600 }
        #expect(board.health(for: "gpt-4").available, "an hour on, the breaker lets a trial through")
        #expect(board.admit("gpt-4"))
    }

    @Test func finding12_aNonsenseRetryAfterDoesNotHoldTheBreaker() {
        let now = Mutex(0.0)
        let board = TargetHealthBoard(
            breaker: CircuitBreaker.Settings(window: 10, minimumRequests: 5, failureRatio: 0.5, openFor: 5),
            clock: { now.withLock { $0 } })
        board.recordFailure("gpt-4", retryAfterSeconds: .nan)
        board.recordFailure("gpt-4", retryAfterSeconds: -30)
        #expect(board.health(for: "gpt-4").available, "two failures are below the five that open it")
    }
}
