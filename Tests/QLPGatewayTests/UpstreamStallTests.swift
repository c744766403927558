import Foundation
import QLPCore
import QLPHTTP
import QLPRouting
import Testing

@testable import QLPGateway

/// Issue 14, finding 2: an upstream that sends its headers and then nothing
/// must not hold a request past gateway.request_timeout. Before anything has
/// reached the client the gateway goes on to the next target; mid-stream it
/// ends the stream with an error event and counts the stall against the target.
@Suite(.timeLimit(.minutes(2))) struct UpstreamStallTests {
    static let roleEvent =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"

    /// The client's own limit: well past the gateway's, so a gateway that waits forever shows as this client's timeout.
    static let clientTimeout: Duration = .seconds(20)

    func post(_ harness: GatewayHarness, stream: Bool) async throws -> HTTPResponse {
        try await harness.transport.send(
            HTTPRequest(
                method: .post, url: harness.base + "/v1/chat/completions",
                headers: ["content-type": "application/json"],
                body: Array(GatewayHarness.chatBody(stream: stream).utf8),
                timeout: Self.clientTimeout))
    }

    /// Runs `body` against a gateway whose route `chat` tries `first`, then `fallback`, each a target
    /// of its own name, with requests limited to `requestTimeout`; the gateway and both upstreams are
    /// started here and stopped after.
    static func withFallbackRoute(
        first: (upstream: any LoopbackUpstream, name: String), fallback: (upstream: any LoopbackUpstream, name: String),
        requestTimeout: Duration, _ body: (GatewayHarness) async throws -> Void
    ) async throws {
        let firstBase = try await first.upstream.start()
        let fallbackBase = try await fallback.upstream.start()
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget(first.name, firstBase), ollamaTarget(fallback.name, fallbackBase)],
            routes: [
                Route(name: "chat", policy: .priority, shares: [.init(target: first.name, weight: 100)], fallback: [fallback.name])
            ],
            settings: GatewaySettings(requestTimeout: requestTimeout))
        defer {
            Task {
                await harness.stop()
                await first.upstream.stop()
                await fallback.upstream.stop()
            }
        }
        try await body(harness)
    }

    @Test(arguments: [true, false])
    func finding02_headersThenSilenceFallsBackToTheNextTarget(stream: Bool) async throws {
        let stuck = StallingUpstream(
            script: stream
                ? StallingUpstream.streamHead()
                : StallingUpstream.jsonHeadThenPartOfTheBody)
        let good = StubUpstream { _, _ in
            stream
                ? .stream(chunks: [Self.roleEvent, "data: [DONE]\n\n"], between: { _ in })
                : .json(status: 200, body: StubUpstream.chat())
        }
        try await Self.withFallbackRoute(first: (stuck, "stuck"), fallback: (good, "good"), requestTimeout: .seconds(4)) { harness in
            let response = try await post(harness, stream: stream)
            #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
            #expect(response.headers["x-qlp-target"] == "good")
            #expect(response.headers["x-qlp-attempts"] == "2")
            #expect(stuck.requests == 1 && good.count == 1)
            #expect(harness.gateway.health.state(of: "stuck").errors == 1)
        }
    }

    /// The share of the time an attempt gets bounds its head and first chunk only: a stream that started
    /// goes on until the request's own deadline. Here the share is 3 s (two targets, 6 s) and the
    /// stream takes about 3.6 s: 0.6 s past the share, 2.4 s before the deadline, which a loaded machine
    /// needs (with 0.6 s before a 3 s deadline, a run of the gateway's tests alone cut the stream in two of three).
    @Test func aStreamThatStartedMayOutlastItsAttemptsShare() async throws {
        let chunks = [Self.roleEvent] + Array(repeating: Self.roleEvent, count: 8) + ["data: [DONE]\n\n"]
        let slow = StubUpstream { _, _ in
            .stream(chunks: chunks, between: { _ in try? await Task.sleep(for: .milliseconds(450)) })
        }
        let spare = StubUpstream { _, _ in .stream(chunks: [Self.roleEvent, "data: [DONE]\n\n"], between: { _ in }) }
        try await Self.withFallbackRoute(first: (slow, "slow"), fallback: (spare, "spare"), requestTimeout: .seconds(6)) { harness in
            let response = try await post(harness, stream: true)
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(response.status == 200)
            #expect(response.headers["x-qlp-target"] == "slow")
            #expect(text == chunks.joined(), "\(text.suffix(300))")
            #expect(spare.count == 0)
        }
    }

    @Test func finding02_aStallMidStreamEndsTheStreamWithAnErrorEvent() async throws {
        let stuck = StallingUpstream(script: StallingUpstream.streamHead(thenEvent: Self.roleEvent))
        let good = StubUpstream { _, _ in .stream(chunks: [Self.roleEvent, "data: [DONE]\n\n"], between: { _ in }) }
        try await Self.withFallbackRoute(first: (stuck, "stuck"), fallback: (good, "good"), requestTimeout: .seconds(2)) { harness in
            // The transfer completes cleanly (a cut connection would throw here), within the client's limit.
            let response = try await post(harness, stream: true)
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(response.status == 200)
            #expect(response.headers["x-qlp-target"] == "stuck")
            #expect(text.hasPrefix(Self.roleEvent), "\(text)")
            let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
            #expect(events.count == 2, "\(text)")
            let last = try #require(events.last)
            #expect(last.hasPrefix("data: {\"error\":"), "\(text)")
            #expect(last.contains("upstream_timeout") && last.contains("stuck"), "\(text)")
            // Too late to try another target: the client already has the first event.
            #expect(good.count == 0)
            #expect(harness.gateway.health.state(of: "stuck").errors == 1)
        }
    }

    @Test func finding02_eachAttemptGetsItsShareOfTheTimeLeft() {
        // Two targets still possible: the first may use half of what is left, so a stall leaves the other half.
        #expect(AttemptDeadline.seconds(left: 4, attemptsPossible: 2) == 2)
        #expect(AttemptDeadline.seconds(left: 9, attemptsPossible: 3) == 3)
        // The last possible attempt has all that is left, and never less than nothing.
        #expect(AttemptDeadline.seconds(left: 4, attemptsPossible: 1) == 4)
        #expect(AttemptDeadline.seconds(left: 4, attemptsPossible: 0) == 4)
        #expect(AttemptDeadline.seconds(left: -1, attemptsPossible: 2) == 0)
    }
}
