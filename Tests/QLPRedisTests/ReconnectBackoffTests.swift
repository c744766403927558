import Logging
import QLPTestSupport
import Synchronization
import Testing

@testable import QLPRedis

@Suite struct ReconnectBackoffTests {
    @Test func doublesFromAHundredMillisecondsToFiveSeconds() {
        var backoff = ReconnectBackoff()
        let waits = (0..<9).map { _ in backoff.failed() }
        #expect(waits == [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000].map { Duration.milliseconds($0) })
        #expect(backoff.failuresInARow == 9)
    }

    @Test func aSuccessfulSubscribeStartsOver() {
        var backoff = ReconnectBackoff()
        _ = backoff.failed()
        _ = backoff.failed()
        _ = backoff.failed()
        backoff.subscribed()
        #expect(backoff == ReconnectBackoff())
        #expect(backoff.failed() == .milliseconds(100))
    }

    /// The subscription's own loop, paced by a clock that records the waits instead of waiting: against
    /// a port nobody listens on it waits as the backoff says, and tells the consumer once.
    @Test func subscriptionWaitsAsTheBackoffSaysAndReportsTheOutageOnce() async throws {
        let clock = RecordingClock(stopAfter: 8)
        let port = try freeLoopbackPort()
        let subscription = RedisSubscription(
            url: RedisURL(host: "127.0.0.1", port: port), channels: ["routes"],
            tls: RedisTLSSettings(), clock: clock, logger: Logger(label: "test"))
        let events = subscription.events()
        let deadline = ContinuousClock.now + .seconds(20)
        while clock.waits.count < 8, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        await subscription.stop()
        #expect(clock.waits == [100, 200, 400, 800, 1600, 3200, 5000, 5000].map { Duration.milliseconds($0) })
        var seen: [RedisSubscription.Event] = []
        for await event in events { seen.append(event) }
        #expect(seen.count == 1)
        guard case .disconnected(.unreachable(let address, _))? = seen.first else {
            Issue.record("expected one .disconnected(.unreachable), got \(seen)")
            return
        }
        #expect(address == "127.0.0.1:\(port)")
    }
}

/// A clock whose sleeps return at once and are recorded; after `stopAfter` of them it sleeps until
/// cancelled, so the loop under test stops spinning.
final class RecordingClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var sinceStart: Duration
        func advanced(by duration: Duration) -> Instant { Instant(sinceStart: sinceStart + duration) }
        func duration(to other: Instant) -> Duration { other.sinceStart - sinceStart }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.sinceStart < rhs.sinceStart }
    }

    private let state = Mutex<(now: Instant, waits: [Duration])>((Instant(sinceStart: .zero), []))
    private let stopAfter: Int

    init(stopAfter: Int) { self.stopAfter = stopAfter }

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .zero }
    var waits: [Duration] { state.withLock { $0.waits } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let count = state.withLock { state in
            state.waits.append(state.now.duration(to: deadline))
            state.now = deadline
            return state.waits.count
        }
        if count >= stopAfter { try await Task.sleep(for: .seconds(3600)) }
    }
}
