import Foundation
import QLPCore
import QLPHTTP
import QLPRouting
import Testing

@testable import QLPGateway

/// Issue 14, finding 11: an upstream that answers with a redirect must not
/// get the gateway (or a probe) to send the request, api-key and all, to
/// wherever it points. The redirect is an upstream failure naming the target
/// and the status.
@Suite(.timeLimit(.minutes(2))) struct UpstreamRedirectTests {
    static let apiKey = "aoai-key-never-leaves-" + UUID().uuidString

    func azureTarget(_ name: String, _ endpoint: String) -> RouteTarget {
        RouteTarget(
            name: name, backend: .azureOpenAI, endpoint: endpoint, upstreamModel: "gpt4-deployment",
            inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 8192)
    }

    /// A listener that records whatever reaches it, and the upstream that points there.
    func upstreams(status: Int = 307) async throws -> (elsewhere: StubUpstream, redirector: StubUpstream, base: String) {
        let elsewhere = StubUpstream { _, _ in .json(status: 200, body: StubUpstream.chat()) }
        let elsewhereBase = try await elsewhere.start()
        let redirector = StubUpstream { _, seen in
            .json(status: status, body: "", headers: [("location", elsewhereBase + seen.path + "?" + (seen.query ?? ""))])
        }
        return (elsewhere, redirector, try await redirector.start())
    }

    @Test(arguments: [301, 302, 307, 308])
    func finding11_theGatewayNeverFollowsAnUpstreamRedirect(status: Int) async throws {
        let (elsewhere, redirector, base) = try await upstreams(status: status)
        let harness = try await GatewayHarness.start(
            targets: [azureTarget("moved", base)],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "moved", weight: 100)], fallback: [])],
            upstream: UpstreamSettings(azureAPIKey: Secret(Self.apiKey)))
        defer {
            Task {
                await harness.stop()
                await redirector.stop()
                await elsewhere.stop()
            }
        }

        let response = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(elsewhere.count == 0, "the redirect was followed: \(elsewhere.requests.map(\.headers))")
        #expect(redirector.count == 1)
        #expect(response.status == 502)
        let message = response.error["message"] as? String ?? ""
        #expect(message.contains("moved") && message.contains("\(status)") && message.contains("redirect"), "\(message)")
        #expect(!String(decoding: response.body, as: UTF8.self).contains(Self.apiKey))
        #expect(harness.gateway.health.state(of: "moved").errors == 1)
    }

    @Test func finding11_aRedirectingTargetFallsBackToTheNext() async throws {
        let (elsewhere, redirector, base) = try await upstreams()
        let good = StubUpstream { _, _ in .json(status: 200, body: StubUpstream.chat()) }
        let harness = try await GatewayHarness.start(
            targets: [azureTarget("moved", base), ollamaTarget("good", try await good.start())],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "moved", weight: 100)], fallback: ["good"])],
            upstream: UpstreamSettings(azureAPIKey: Secret(Self.apiKey)))
        defer {
            Task {
                await harness.stop()
                await redirector.stop()
                await elsewhere.stop()
                await good.stop()
            }
        }

        let response = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(response.status == 200)
        #expect(response.headers["x-qlp-target"] == "good")
        #expect(elsewhere.count == 0)
    }

    @Test func finding11_probesNeverFollowARedirect() async throws {
        let (elsewhere, redirector, base) = try await upstreams()
        defer {
            Task {
                await redirector.stop()
                await elsewhere.stop()
            }
        }
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let target = ProbeTarget(azureTarget("moved", base), kind: .chat)
        let prober = ModelProber(
            targets: { [target] },
            settings: ModelProber.Settings(
                interval: .seconds(30), azureAPIVersion: "2024-10-21",
                azureAPIKey: Secret(Self.apiKey), timeout: .seconds(10)),
            transport: transport, servedRecently: { _ in false }, onResult: { _ in })
        let result = await prober.probe(target)
        #expect(elsewhere.count == 0, "the probe followed the redirect")
        #expect(result.failure?.status == 307)
        #expect(result.failure?.upstreamFailure == .status(307))
    }
}
