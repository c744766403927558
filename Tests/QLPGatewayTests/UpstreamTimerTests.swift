import Foundation
import NIOCore
import Synchronization
import Testing

@testable import QLPGateway

/// The deadline a streamed attempt's head and first chunk are raced against.
/// It must end at its moment, and at once when cancelled (the race is
/// cancelled as soon as the upstream answers, hundreds of times a second);
/// what a cancelled wait holds afterwards is measured by
/// scripts/gateway-benchmark's RSS under load, not here.
@Suite struct UpstreamTimerTests {
    func inFive(_ condition: () -> Bool) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while !condition(), clock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        return condition()
    }

    @Test func itReturnsAtTheDeadlineAndNotBefore() async throws {
        let start = MonotonicClock.now
        try await UpstreamTimer.sleep(until: UpstreamDeadline.nioDeadline(start + 0.05))
        #expect(MonotonicClock.now - start >= 0.049)
    }

    @Test func cancellingAWaitEndsItAtOnce() async throws {
        let ended = Atomic<Int>(0)  // 1: CancellationError, 2: anything else
        let waiting = Task {
            do {
                try await UpstreamTimer.sleep(until: UpstreamDeadline.nioDeadline(MonotonicClock.now + 3600))
                ended.store(2, ordering: .sequentiallyConsistent)
            } catch is CancellationError {
                ended.store(1, ordering: .sequentiallyConsistent)
            } catch {
                ended.store(2, ordering: .sequentiallyConsistent)
            }
        }
        try await Task.sleep(for: .milliseconds(20))
        waiting.cancel()
        #expect(try await inFive { ended.load(ordering: .sequentiallyConsistent) != 0 })
        #expect(ended.load(ordering: .sequentiallyConsistent) == 1)
    }

    @Test func aTaskCancelledBeforeItWaitsDoesNotWait() async throws {
        let ended = Atomic<Bool>(false)
        let waiting = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try? await UpstreamTimer.sleep(until: UpstreamDeadline.nioDeadline(MonotonicClock.now + 3600))
            ended.store(true, ordering: .sequentiallyConsistent)
        }
        #expect(try await inFive { ended.load(ordering: .sequentiallyConsistent) })
        waiting.cancel()
    }

    @Test func theRaceGivesTheAnswerOrPassedWhicheverComesFirst() async throws {
        let soon = UpstreamDeadline(at: MonotonicClock.now + 5)
        #expect(try await soon.race { 42 } == 42)
        let short = UpstreamDeadline(at: MonotonicClock.now + 0.05)
        await #expect(throws: UpstreamDeadline.Passed.self) {
            try await short.race { () async throws -> Int in
                try await Task.sleep(for: .seconds(3600))
                return 0
            }
        }
    }
}
