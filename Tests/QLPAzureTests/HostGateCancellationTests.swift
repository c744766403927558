import Foundation
import QLPAzure
import QLPHTTP
import Synchronization
import Testing

/// Issue 14, finding 15: a request waiting for the per-minute budget ends
/// with CancellationError as soon as its task is cancelled; the wait loop
/// does not spin.
@Suite struct HostGateCancellationTests {
    /// Answers 200 to everything and counts what reached it.
    final class AnsweringTransport: HTTPTransport {
        let sent = Mutex(0)
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            sent.withLock { $0 += 1 }
            return HTTPResponse(status: 200, body: Array("{}".utf8))
        }
    }

    @Test func finding15_aCancelledBudgetWaitEndsWithCancellationAndDoesNotSpin() async throws {
        let now = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        let sleeps = Mutex(0)
        let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
        let base = AnsweringTransport()
        let transport = ThrottlingTransport(
            wrapping: base, policy: ThrottlingPolicy(costManagementBudgetPerMinute: 1, maxBudgetWait: .seconds(120)),
            clock: { now.withLock { $0 } },
            sleep: { duration in
                let count = sleeps.withLock {
                    $0 += 1
                    return $0
                }
                // A loop that ignores cancellation would come back here at once,
                // forever: after 50 turns, free the budget so the test ends (and fails).
                if count >= 50 { now.withLock { $0 = $0.addingTimeInterval(61) } }
                enteredSignal.yield()
                try await Task.sleep(for: duration)
            })
        let url = "https://arm.example.test/subscriptions/s/providers/Microsoft.CostManagement/query?api-version=2023-03-01"
        _ = try await transport.send(HTTPRequest(method: .post, url: url))
        let waiting = Task { try await transport.send(HTTPRequest(method: .post, url: url)) }
        var iterator = entered.makeAsyncIterator()
        _ = await iterator.next()  // the second request is waiting for the budget
        waiting.cancel()
        let outcome = await waiting.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(sleeps.withLock { $0 } == 1, "the wait loop went round \(sleeps.withLock { $0 }) times after cancellation")
        #expect(base.sent.withLock { $0 } == 1, "the cancelled request must not be sent")
    }

    /// Holds every request until `open` is called, counting arrivals.
    final class HeldTransport: HTTPTransport {
        let arrivals: AsyncStream<Void>
        private let arrived: AsyncStream<Void>.Continuation
        private let gate = Mutex<[CheckedContinuation<Void, Never>]>([])
        let sent = Mutex(0)

        init() { (arrivals, arrived) = AsyncStream<Void>.makeStream() }

        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            sent.withLock { $0 += 1 }
            await withCheckedContinuation { continuation in
                gate.withLock { $0.append(continuation) }
                arrived.yield()
            }
            return HTTPResponse(status: 200, body: Array("{}".utf8))
        }

        func open() {
            gate.withLock { held in
                for continuation in held { continuation.resume() }
                held.removeAll()
            }
        }
    }

    /// A request queued for a connection slot (every slot busy) ends with
    /// CancellationError as soon as its task is cancelled, and gives up its
    /// place: it used to wait until a slot came free, then take it.
    @Test func aCancelledSlotWaitEndsAtOnceAndTakesNoSlot() async throws {
        let base = HeldTransport()
        let transport = ThrottlingTransport(wrapping: base, policy: ThrottlingPolicy(maxConcurrentPerHost: 1))
        let url = "https://api.example.test/v1/things"
        let first = Task { try await transport.send(HTTPRequest(method: .get, url: url)) }
        var arrivals = base.arrivals.makeAsyncIterator()
        _ = await arrivals.next()  // the first holds the only slot
        let queued = Task { try await transport.send(HTTPRequest(method: .get, url: url)) }
        // Let it reach the gate's queue: it cannot get further while the slot is held.
        try await Task.sleep(for: .milliseconds(200))
        queued.cancel()
        let ended = Mutex<Result<HTTPResponse, any Error>?>(nil)
        let watcher = Task {
            let result = await queued.result
            ended.withLock { $0 = result }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while ended.withLock({ $0 == nil }), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        guard let outcome = ended.withLock({ $0 }) else {
            Issue.record("the cancelled request still waited for a slot after 10 s")
            // Unwind: free the first, then whatever the queued one sent once it got the slot.
            base.open()
            while ended.withLock({ $0 == nil }) {
                try await Task.sleep(for: .milliseconds(10))
                base.open()
            }
            _ = await watcher.value
            return
        }
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(base.sent.withLock { $0 } == 1, "the cancelled request must not be sent")
        base.open()
        _ = try await first.value
        // The slot went back, not to the cancelled request: a third is served.
        let third = Task { try await transport.send(HTTPRequest(method: .get, url: url)) }
        _ = await arrivals.next()
        base.open()
        #expect(try await third.value.status == 200)
    }
}
