import Foundation
import QLPFeed
import Synchronization
import Testing

/// A poller's wait that is cancelled (the gateway stopping, the dashboard
/// quitting) ends at once, however early the cancellation comes. When it came
/// before the wait had stored its continuation, the cancellation handler found
/// nothing to resume and the wait never ended: `qlp gateway` told to stop
/// right after it started hung in its shutdown (3 runs in 10 here), and the
/// end-to-end tests stopping it hung with it.
@Suite struct WakeSignalCancellationTests {
    /// Runs `wait` in a task cancelled before it waits, or while it waits, and says whether it ended within five seconds.
    func endsWhenCancelled(before: Bool) async throws -> Bool {
        let signal = WakeSignal()
        let done = Atomic<Bool>(false)
        let task = Task {
            if before { withUnsafeCurrentTask { $0?.cancel() } }
            await signal.wait(for: .seconds(3600))
            done.store(true, ordering: .sequentiallyConsistent)
        }
        if !before {
            try await Task.sleep(for: .milliseconds(50))
            task.cancel()
        }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while !done.load(ordering: .sequentiallyConsistent), clock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        // A wait that never ends stays suspended: it holds nothing but its own task.
        return done.load(ordering: .sequentiallyConsistent)
    }

    @Test func aWaitInATaskAlreadyCancelledEndsAtOnce() async throws {
        #expect(try await endsWhenCancelled(before: true))
    }

    @Test func aWaitCancelledWhileWaitingEnds() async throws {
        #expect(try await endsWhenCancelled(before: false))
    }

    @Test func aWakeStillEndsTheWaitAndOneWithNobodyWaitingIsKept() async throws {
        let signal = WakeSignal()
        signal.wake()
        #expect(await signal.wait(for: .seconds(3600)))
        let woken = Task { await signal.wait(for: .seconds(3600)) }
        try await Task.sleep(for: .milliseconds(50))
        signal.wake()
        #expect(await woken.value)
        #expect(await signal.wait(for: .milliseconds(10)) == false)
    }
}
