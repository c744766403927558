import Foundation
import QLPAzure
import QLPCore
import QLPEmulator
import QLPGatewayFeed
import QLPHTTP
import QLPRouting
import Testing

@testable import QLPGateway

/// azure_openai.auth: entra — requests and probes carry an Entra ID token
/// from the emulator's token endpoint and no api-key, and the emulator
/// refuses a request that carries neither.
@Suite(.timeLimit(.minutes(2))) struct EntraUpstreamTests {
    @Test func requestsAndProbesCarryABearerAndNoKey() async throws {
        var configuration = EmulatorConfiguration(world: CostWorld(seed: 42, firstDay: CivilDate(year: 2026, month: 10, day: 1)!))
        configuration.modelLatency = .off
        let emulator = AzureEmulator(configuration: configuration)
        let base = try await emulator.start()
        let transport = CurlTransport()
        let credential = ClientSecretCredential(
            authority: base, tenantID: configuration.tenantID, clientID: configuration.clientID,
            clientSecret: Secret(configuration.clientSecret), transport: transport)
        let settings = AzureOpenAISettings(
            endpoint: base, apiVersion: "2024-10-21", models: [:], deploymentNames: [:], apiKey: nil,
            auth: .entra)
        var upstream = UpstreamSettings(azureOpenAI: settings)
        let bearer = try #require(AzureOpenAIBearer.make(for: settings, credential: credential))
        upstream.azureBearer = bearer
        let target = RouteTarget(
            name: "gpt4", backend: .azureOpenAI, endpoint: base, upstreamModel: "gpt4-deployment",
            inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 8192)
        let harness = try await GatewayHarness.start(
            targets: [target], routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "gpt4", weight: 100)], fallback: [])],
            upstream: upstream)
        defer {
            bearer.stop()
            transport.shutdown()
            Task {
                await harness.stop()
                await emulator.stop()
            }
        }

        let answer = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
        #expect(emulator.statistics.responses(from: .openAIChat, status: 200) == 1)
        #expect(emulator.statistics.responses(from: .token, status: 200) == 1)

        // What goes on the wire: a bearer, no key, a client request ID, qlp's User-Agent.
        let token = try #require(bearer.current)
        let client = try ClientRequest(operation: .chatCompletions, body: Array(GatewayHarness.chatBody().utf8))
        let request = UpstreamCall.request(for: client, to: target, settings: upstream, bearer: token)
        #expect(request.headers["authorization"] == "Bearer \(token.reveal())")
        #expect(request.headers["api-key"] == nil)
        #expect(request.headers["x-ms-client-request-id"]?.count == 36)
        #expect(request.headers["user-agent"] == QLPVersion.userAgent)

        let prober = ModelProber(
            targets: { [] }, settings: ModelProber.Settings(gateway: GatewaySettings(), upstream: upstream),
            transport: transport, onResult: { _ in })
        let probe = await prober.probe(ProbeTarget(target, kind: .chat))
        #expect(probe.failure == nil, "\(String(describing: probe.failure))")
        #expect(emulator.statistics.responses(from: .openAIChat, status: 200) == 2)

        // Neither a key nor a bearer: Azure's 401 in its own shape.
        let bare = try await transport.send(
            HTTPRequest(
                method: .post, url: "\(base)/openai/deployments/gpt4-deployment/chat/completions?api-version=2024-10-21",
                headers: ["Content-Type": "application/json"],
                body: Array(GatewayHarness.chatBody().utf8)))
        #expect(bare.status == 401)
        #expect(bare.error["code"] as? String == "401")
        let forged = try await transport.send(
            HTTPRequest(
                method: .post, url: "\(base)/openai/deployments/gpt4-deployment/chat/completions?api-version=2024-10-21",
                headers: ["Content-Type": "application/json", "Authorization": "Bearer emu.forged"],
                body: Array(GatewayHarness.chatBody().utf8)))
        #expect(forged.status == 401)
    }
}
