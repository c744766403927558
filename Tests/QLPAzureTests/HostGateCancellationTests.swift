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
                let count = sleeps.withLock { $0 += 1; return $0 }
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
        _ = await iterator.next()   // the second request is waiting for the budget
        waiting.cancel()
        let outcome = await waiting.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(sleeps.withLock { $0 } == 1, "the wait loop went round \(sleeps.withLock { $0 }) times after cancellation")
        #expect(base.sent.withLock { $0 } == 1, "the cancelled request must not be sent")
    }
}
