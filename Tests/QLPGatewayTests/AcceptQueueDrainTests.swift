import Testing

@testable import QLPGateway

/// A draining gateway keeps its listener open while connections wait in the
/// accept queue (closing it would reset them), until the queue has stayed
/// empty for a moment or the limit comes. Driven with made-up instants.
@Suite struct AcceptQueueDrainTests {
    static let start = ContinuousClock.now

    static func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    @Test func anEmptyQueueStopsOnceItHasStayedEmptyForTheQuietTime() {
        var drain = AcceptQueueDrain(now: Self.at(0), deadline: .seconds(5), quiet: .milliseconds(100), interval: .milliseconds(20))
        #expect(drain.next(queued: 0, now: Self.at(0)) == .look(after: .milliseconds(20)))
        #expect(drain.next(queued: 0, now: Self.at(60)) == .look(after: .milliseconds(20)))
        #expect(drain.next(queued: 0, now: Self.at(100)) == .stop(.empty))
    }

    @Test func queuedConnectionsKeepTheListenerOpenAndRestartTheQuietTime() {
        var drain = AcceptQueueDrain(now: Self.at(0), deadline: .seconds(5), quiet: .milliseconds(100), interval: .milliseconds(20))
        #expect(drain.next(queued: 32, now: Self.at(0)) == .look(after: .milliseconds(20)))
        #expect(drain.next(queued: 0, now: Self.at(20)) == .look(after: .milliseconds(20)))
        // One more arrives before the quiet time is up: it starts again from the next empty look.
        #expect(drain.next(queued: 1, now: Self.at(90)) == .look(after: .milliseconds(20)))
        #expect(drain.next(queued: 0, now: Self.at(130)) == .look(after: .milliseconds(20)))
        #expect(drain.next(queued: 0, now: Self.at(200)) == .look(after: .milliseconds(20)))
        #expect(drain.next(queued: 0, now: Self.at(230)) == .stop(.empty))
    }

    @Test func connectionsThatKeepArrivingMeetTheDeadline() {
        var drain = AcceptQueueDrain(now: Self.at(0), deadline: .seconds(5), quiet: .milliseconds(100), interval: .milliseconds(20))
        #expect(drain.next(queued: 3, now: Self.at(4_980)) == .look(after: .milliseconds(20)))
        #expect(drain.next(queued: 2, now: Self.at(5_000)) == .stop(.deadline(queued: 2)))
        // At the deadline with the queue just emptied, it stops without waiting out the quiet time.
        var emptied = AcceptQueueDrain(now: Self.at(0), deadline: .seconds(5), quiet: .milliseconds(100), interval: .milliseconds(20))
        #expect(emptied.next(queued: 0, now: Self.at(5_000)) == .stop(.empty))
    }
}
