import Foundation
import QLPHTTP
import QLPRouting
import Synchronization
import Testing

@testable import QLPGateway

/// Streams go through chunk by chunk: the stub sends each SSE event only after
/// the client has received the one before, which can only happen if the
/// gateway forwards without buffering. (A buffering gateway makes every wait
/// run out, and the test reports it.)
@Suite(.timeLimit(.minutes(2))) struct StreamingPassThroughTests {
    /// Events the client has seen, and whether every release waited for one.
    final class Progress: Sendable {
        private let state = Mutex<(seen: Int, waitsTimedOut: Int)>((0, 0))
        var seen: Int { state.withLock { $0.seen } }
        var waitsTimedOut: Int { state.withLock { $0.waitsTimedOut } }
        func saw(_ total: Int) { state.withLock { $0.seen = total } }

        /// Waits (bounded) until the client has seen `count` events. The bound
        /// is generous because a loaded 2-core CI machine can be slow; once one
        /// wait has run out the test has failed, and the rest do not wait.
        func waitUntilSeen(_ count: Int) async {
            if waitsTimedOut > 0 { return }
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if seen >= count { return }
                try? await Task.sleep(for: .milliseconds(2))
            }
            state.withLock { $0.waitsTimedOut += 1 }
        }
    }

    static let events = [
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n",
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n",
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo.\"}}]}\n\n",
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":2,\"total_tokens\":13}}\n\n",
        "data: [DONE]\n\n",
    ]

    /// A client that asks for usage sees every event, the usage one included.
    static let askingForUsage =
        #"{"model":"chat","messages":[{"role":"user","content":"Say hello"}],"stream":true,"stream_options":{"include_usage":true}}"#

    @Test(arguments: [true, false]) func eventsReachTheClientOneByOne(askingForUsage: Bool) async throws {
        let progress = Progress()
        // The usage event is the fifth: a client that did not ask never sees it, so nothing waits for it.
        let usageEvent = 4
        let upstream = StubUpstream { _, _ in
            .stream(
                chunks: Self.events,
                between: { index in
                    if askingForUsage || index <= usageEvent { await progress.waitUntilSeen(index) }
                })
        }
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("llama3", try await upstream.start())],
            routes: [Route(name: "chat", policy: .weighted, shares: [.init(target: "llama3", weight: 100)], fallback: [])])
        defer {
            Task {
                await harness.stop()
                await upstream.stop()
            }
        }

        // libcurl's streamed transfer, as the gateway's own upstream side reads: each event must reach this
        // reader before the stub sends the next.
        let body = askingForUsage ? Self.askingForUsage : GatewayHarness.chatBody(stream: true)
        let response = try await harness.transport.open(
            HTTPRequest(
                method: .post, url: harness.base + "/v1/chat/completions",
                headers: HTTPHeaders([("content-type", "application/json")]), body: Array(body.utf8),
                timeout: .seconds(60)))
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        #expect(response.headers["x-qlp-target"] == "llama3")
        var text = ""
        var chunks = 0
        while let chunk = try await response.body.next() {
            chunks += 1
            text += String(decoding: chunk, as: UTF8.self)
            progress.saw(text.components(separatedBy: "data: ").count - 1)
        }
        let expected = askingForUsage ? Self.events : Self.events.enumerated().filter { $0.offset != usageEvent }.map(\.element)
        #expect(text == expected.joined())
        #expect(chunks >= expected.count)
        #expect(progress.waitsTimedOut == 0)
        // The final usage chunk was counted, whether the client saw it or not.
        let state = harness.gateway.health.state(of: "llama3")
        #expect(state.inputTokens == 11 && state.outputTokens == 2)
    }
}
