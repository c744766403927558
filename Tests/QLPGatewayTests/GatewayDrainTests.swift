import Foundation
import QLPCore
import QLPHTTP
import QLPRouting
import Synchronization
import Testing

@testable import QLPGateway

/// Issue 16, item 5: a stopping gateway is not ready (503 "draining" on
/// /readyz, so load balancers send elsewhere), and at the drain deadline a
/// stream still open is ended with an error event the client can read rather
/// than cut by the connection closing.
@Suite(.timeLimit(.minutes(2))) struct GatewayDrainTests {
    @Test func readinessSaysDrainingWith503WhileLivenessStaysOK() async throws {
        let upstream = StubUpstream { _, _ in .json(status: 200, body: StubUpstream.chat()) }
        let upstreamBase = try await upstream.start()
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("a", upstreamBase)],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "a", weight: 100)], fallback: [])])
        #expect(try await harness.get("/readyz").status == 200)
        harness.gateway.drain.begin()
        let ready = try await harness.get("/readyz")
        #expect(ready.status == 503)
        #expect(ready.json["status"] as? String == "draining", "\(String(decoding: ready.body, as: UTF8.self))")
        #expect(try await harness.get("/healthz").status == 200)
        // Requests already on their way are still served.
        #expect(try await harness.post("/v1/chat/completions", GatewayHarness.chatBody()).status == 200)
        await harness.stop()
        await upstream.stop()
    }

    @Test func aStreamStillOpenAtTheDrainDeadlineEndsWithAnErrorEvent() async throws {
        let stuck = StallingUpstream(script: StallingUpstream.streamHead(thenEvent: UpstreamStallTests.roleEvent))
        let stuckBase = try await stuck.start()
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("stuck", stuckBase)],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "stuck", weight: 100)], fallback: [])],
            settings: GatewaySettings(requestTimeout: .seconds(60)))
        let pending = Task { try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(stream: true)) }
        var waited = 0
        while harness.gateway.drain.openStreams == 0 && waited < 200 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        #expect(harness.gateway.drain.openStreams == 1)
        let ending = ContinuousClock.now
        #expect(harness.gateway.drain.endStreams() == 1)
        // A clean end (a cut connection would throw), long before the request's own 60 s limit.
        let response = try await pending.value
        #expect(ContinuousClock.now - ending < .seconds(5))
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == 200)
        #expect(text.hasPrefix(UpstreamStallTests.roleEvent), "\(text)")
        let last = try #require(text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.last)
        #expect(last.hasPrefix("data: {\"error\":") && last.contains("gateway_shutting_down"), "\(text)")
        // The stream counts as open until its relay returns, just after it finished the answer the client
        // has already read (1 run in about 28 saw it still open): wait a moment for it, no more.
        let closing = ContinuousClock.now + .seconds(2)
        while harness.gateway.drain.openStreams != 0 && ContinuousClock.now < closing {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(harness.gateway.drain.openStreams == 0)
        await harness.stop()
        await stuck.stop()
    }

    /// The count endStreams reports is the streams it ended, even when one
    /// closes while being stopped (a transfer that ends at once): it read the
    /// open count after stopping them, and aStreamStillOpen… above saw 0 for 1
    /// in a run on 2026-12-07.
    @Test func endingStreamsCountsThoseThatCloseWhileBeingStopped() {
        let drain = GatewayDrain()
        let registration = Mutex<UInt64>(0)
        let id = drain.streamOpened { drain.streamClosed(registration.withLock { $0 }) }
        registration.withLock { $0 = id }
        #expect(drain.openStreams == 1)
        #expect(drain.endStreams() == 1)
        #expect(drain.openStreams == 0)
    }
}
