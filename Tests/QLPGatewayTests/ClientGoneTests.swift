import Foundation
import QLPCore
import QLPHTTP
import QLPRouting
import Testing

@testable import QLPGateway

/// A client that leaves while its request waits for an upstream: the gateway
/// stops that upstream call at once instead of holding it (and the upstream's
/// work, and a drain) until the attempt's deadline.
@Suite(.timeLimit(.minutes(2))) struct ClientGoneTests {
    @Test(arguments: [false, true], UpstreamClientKind.allCases)
    func theUpstreamCallStopsWhenItsClientLeaves(stream: Bool, client: UpstreamClientKind) async throws {
        // Its head and then nothing: the attempt waits for the rest (whole) or the first chunk (stream).
        let stuck = StallingUpstream(script: stream ? StallingUpstream.streamHead() : StallingUpstream.jsonHeadThenPartOfTheBody)
        let stuckBase = try await stuck.start()
        var settings = GatewaySettings(requestTimeout: .seconds(60))
        settings.upstreamClient = client
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("stuck", stuckBase)],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "stuck", weight: 100)], fallback: [])],
            settings: settings)
        // The client gives up after 300 ms and closes its connection.
        _ = try? await harness.transport.send(
            HTTPRequest(
                method: .post, url: harness.base + "/v1/chat/completions", headers: ["content-type": "application/json"],
                body: Array(GatewayHarness.chatBody(stream: stream).utf8), timeout: .milliseconds(300)))
        #expect(stuck.requests == 1)
        let left = ContinuousClock.now
        while stuck.openConnections > 0, ContinuousClock.now - left < .seconds(10) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(
            stuck.openConnections == 0,
            "the upstream call was still open 10 s after its client left (the attempt had 60 s)")
        await harness.stop()
        await stuck.stop()
    }
}
