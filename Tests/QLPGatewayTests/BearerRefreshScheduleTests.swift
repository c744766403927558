import Foundation
import QLPCore
import Synchronization
import Testing

@testable import QLPGateway

/// When the gateway's Entra ID token is fetched again, on a fake clock.
@Suite struct BearerRefreshScheduleTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func anHourTokenIsRenewedFiveMinutesBeforeItExpires() {
        var schedule = BearerRefreshSchedule()
        #expect(schedule.obtained(expiresOn: t0.addingTimeInterval(3600), now: t0) == t0.addingTimeInterval(3300))
    }

    @Test func aShortTokenIsRenewedAtHalfItsLife() {
        var schedule = BearerRefreshSchedule()
        #expect(schedule.obtained(expiresOn: t0.addingTimeInterval(120), now: t0) == t0.addingTimeInterval(60))
    }

    @Test func failuresBackOffAndASuccessStartsAgain() {
        var schedule = BearerRefreshSchedule(retryDelays: [.seconds(1), .seconds(5)])
        #expect(schedule.failed(now: t0) == t0.addingTimeInterval(1))
        #expect(schedule.failed(now: t0) == t0.addingTimeInterval(5))
        #expect(schedule.failed(now: t0) == t0.addingTimeInterval(5), "the last delay repeats")
        #expect(schedule.failures == 3)
        _ = schedule.obtained(expiresOn: t0.addingTimeInterval(3600), now: t0)
        #expect(schedule.failures == 0)
        #expect(schedule.failed(now: t0) == t0.addingTimeInterval(1))
    }
}

/// The bearer slot: requests read it without waiting once a token exists,
/// and the refresher replaces it in the background before it expires.
@Suite(.timeLimit(.minutes(1))) struct UpstreamBearerTests {
    final class Fetches: Sendable {
        let count = Mutex(0)
    }

    @Test func refreshesInTheBackgroundAndRequestsNeverFetch() async throws {
        let fetches = Fetches()
        // Tokens that live 0.4 s: renewed at half their life, 0.2 s, without any request asking.
        let bearer = UpstreamBearer {
            let n = fetches.count.withLock {
                $0 += 1
                return $0
            }
            return UpstreamBearer.Token(value: Secret("token-\(n)"), expiresOn: Date().addingTimeInterval(0.4))
        }
        defer { bearer.stop() }
        #expect(bearer.current == nil)
        #expect(await bearer.token() == Secret("token-1"), "the first request waits for the first token")
        let before = fetches.count.withLock { $0 }
        for _ in 0..<1000 { _ = await bearer.token() }
        #expect(fetches.count.withLock { $0 } <= before + 1, "requests fetched tokens themselves")
        // Two refreshes are due within 0.4 s; a loaded machine may delay them, so the wait is a deadline, not a sleep.
        let waitStarted = ContinuousClock.now
        while fetches.count.withLock({ $0 }) < 3, ContinuousClock.now - waitStarted < .seconds(10) {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(fetches.count.withLock { $0 } >= 3, "no background refresh")
        #expect(bearer.current != Secret("token-1"))
    }

    @Test func aFailedFirstFetchIsReportedNotAwaitedAgain() async throws {
        struct Refused: Error, CustomStringConvertible {
            var description: String { "workload identity: Entra ID refused a token (AADSTS70021)" }
        }
        let bearer = UpstreamBearer(schedule: BearerRefreshSchedule(retryDelays: [.seconds(30)])) { throw Refused() }
        defer { bearer.stop() }
        #expect(await bearer.token() == nil)
        #expect(bearer.lastError?.contains("AADSTS70021") == true)
        let clock = ContinuousClock()
        let waited = await clock.measure { _ = await bearer.token() }
        #expect(waited < .milliseconds(100), "a request waited for a retry")
    }
}
