import Foundation
import QLPCore
import QLPHTTP
import QLPRouting
import Testing

@testable import QLPGateway

/// A gateway on either upstream client (gateway.upstream_client) answers a
/// chat request whole and streamed, with the usage read and the target named,
/// and falls back from a refusing target before the first byte.
@Suite(.timeLimit(.minutes(2))) struct UpstreamClientKindGatewayTests {
    static let roleEvent =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\n\n"

    @Test(arguments: UpstreamClientKind.allCases)
    func answersWholeAndStreamedAndFallsBack(client: UpstreamClientKind) async throws {
        let good = StubUpstream { _, seen in
            seen.json["stream"] as? Bool == true
                ? .stream(chunks: [Self.roleEvent, "data: [DONE]\n\n"], between: { _ in })
                : .json(status: 200, body: StubUpstream.chat(content: "Hello there."))
        }
        let refusing = StubUpstream { _, _ in .json(status: 503, body: "{\"error\":\"busy\"}") }
        let goodBase = try await good.start()
        let refusingBase = try await refusing.start()
        var settings = GatewaySettings()
        settings.upstreamClient = client
        let harness = try await GatewayHarness.start(
            targets: [ollamaTarget("busy", refusingBase), ollamaTarget("good", goodBase)],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "busy", weight: 100)], fallback: ["good"])],
            settings: settings)

        let whole = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(whole.status == 200, "\(whole.bodyText)")
        #expect(whole.headers["x-qlp-target"] == "good")
        #expect(whole.headers["x-qlp-attempts"] == "2")
        #expect(whole.bodyText.contains("Hello there."))

        let streamed = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody(stream: true))
        #expect(streamed.status == 200, "\(streamed.bodyText)")
        #expect(streamed.headers["x-qlp-target"] == "good")
        #expect(streamed.bodyText.contains("\"content\":\"Hi\""))
        #expect(streamed.bodyText.hasSuffix("data: [DONE]\n\n"))

        await harness.stop()
        await good.stop()
        await refusing.stop()
    }
}
