import Foundation
import QLPCore
import QLPEmulator
import QLPRouting
import Testing

@testable import QLPGateway

/// An upstream that drops the connection part-way through its answer, or
/// resets it instead of answering, is the target's failure: the gateway's
/// client never sees it, the next target serves. (The emulator's `truncated`
/// and `reset` faults, on one deployment.)
@Suite(.timeLimit(.minutes(2))) struct UpstreamConnectionFaultTests {
    @Test(arguments: [("truncated", EndpointFault(truncatedBody: true)), ("reset", EndpointFault(resetConnection: true))])
    func aConnectionFaultIsServedByTheNextTarget(name: String, fault: EndpointFault) async throws {
        var configuration = EmulatorConfiguration(world: CostWorld(seed: 7, firstDay: CivilDate(year: 2026, month: 10, day: 1)!))
        configuration.modelLatency = .off
        let emulator = AzureEmulator(configuration: configuration)
        let base = try await emulator.start()
        emulator.faults.set(fault, forModel: "gpt4-deployment")
        func azure(_ target: String, _ deployment: String) -> RouteTarget {
            RouteTarget(
                name: target, backend: .azureOpenAI, endpoint: base, upstreamModel: deployment,
                inputCostPer1K: Decimal(string: "0.0004")!, outputCostPer1K: Decimal(string: "0.0012")!, contextWindow: 16_000)
        }
        let harness = try await GatewayHarness.start(
            targets: [azure("gpt4", "gpt4-deployment"), azure("gpt35", "gpt35-deployment")],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "gpt4", weight: 100)], fallback: ["gpt35"])],
            upstream: UpstreamSettings(azureAPIVersion: "2024-10-21", azureAPIKey: Secret(EmulatorConfiguration.demoOpenAIKey)))
        defer {
            Task {
                await harness.stop()
                await emulator.stop()
            }
        }

        let response = try await harness.post("/v1/chat/completions", GatewayHarness.chatBody())
        #expect(response.status == 200, "\(name): \(response.bodyText)")
        #expect(response.headers["x-qlp-target"] == "gpt35", "\(name)")
        #expect(response.headers["x-qlp-attempts"] == "2", "\(name)")
        #expect(emulator.statistics.requests(toModel: "gpt4-deployment") == 1, "\(name): gpt4 was tried first")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(response.bodyText.utf8)) as? [String: Any])
        #expect(answer["choices"] != nil, "\(name): \(response.bodyText)")
    }
}
