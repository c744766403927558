import Foundation
import QLPCore
import QLPEmulator
import QLPHTTP
import QLPRouting
import Testing

@testable import QLPGateway

/// The traffic alerts raised for real: the gateway in front of the emulator,
/// one deployment answering 429 and one model slowed past its route's SLO,
/// requests through the data plane, then the rules on the gateway's own window.
@Suite(.timeLimit(.minutes(2))) struct GatewayTrafficAlertTests {
    @Test func throttlingFallbackStormAndSLOBreachFireFromRealTraffic() async throws {
        var configuration = EmulatorConfiguration(world: CostWorld(seed: 7, firstDay: CivilDate(year: 2026, month: 10, day: 1)!))
        configuration.modelLatency = .off
        let emulator = AzureEmulator(configuration: configuration)
        let base = try await emulator.start()
        emulator.faults.set(EndpointFault(status: 429), forModel: "gpt4-deployment")
        emulator.faults.set(EndpointFault(latencyMilliseconds: 150), forModel: "llama3:8b")
        func azure(_ name: String, _ deployment: String) -> RouteTarget {
            RouteTarget(
                name: name, backend: .azureOpenAI, endpoint: base, upstreamModel: deployment,
                inputCostPer1K: Decimal(string: "0.0004")!, outputCostPer1K: Decimal(string: "0.0012")!, contextWindow: 16_000)
        }
        let routes = [
            Route(
                name: "chat", policy: .weighted, shares: [.init(target: "gpt4", weight: 50), .init(target: "gpt35", weight: 50)],
                fallback: ["gpt35"]),
            Route(
                name: "local", policy: .priority, shares: [.init(target: "llama3", weight: 100)], fallback: [],
                latencySLOMilliseconds: 50),
        ]
        // A breaker that never opens, so every request the weights send to gpt4 meets its 429 and falls back.
        // The window's clock stands still: on a loaded machine the requests may take longer than the
        // window, and the test is about what is counted, not about the window's length.
        let harness = try await GatewayHarness.start(
            targets: [azure("gpt4", "gpt4-deployment"), azure("gpt35", "gpt35-deployment"), ollamaTarget("llama3", base)],
            routes: routes, settings: GatewaySettings(breakerMinimumRequests: 1_000_000),
            upstream: UpstreamSettings(azureAPIVersion: "2024-10-21", azureAPIKey: Secret(EmulatorConfiguration.demoOpenAIKey)),
            traffic: RouteTrafficWindow(clock: { 1_000 }))
        defer {
            Task {
                await harness.stop()
                await emulator.stop()
            }
        }

        // Quiet before: nothing to say.
        #expect(
            GatewayAlertRules.evaluate(harness.gateway.traffic.figures(), latencySLOs: ["local": 50], previous: [], now: Date()).isEmpty)

        try await send(20, model: "chat", workers: 4, through: harness)
        try await send(12, model: "local", workers: 6, through: harness)
        #expect(emulator.statistics.requests(toModel: "gpt4-deployment") == 10, "the weights sent half of chat to gpt4")

        let figures = harness.gateway.traffic.figures()
        #expect(figures.throttled["gpt4"] == 10)
        #expect(figures.routes["chat"]?.requests == 20)
        #expect(figures.routes["chat"]?.byFallback == 10)
        #expect((figures.routes["local"]?.p95Milliseconds ?? 0) >= 150)

        let seconds = figures.windowSeconds
        let alerts = GatewayAlertRules.evaluate(figures, latencySLOs: ["local": 50], previous: [], now: Date())
        let described = alerts.map { "\($0.kind.rawValue) \($0.subject) \($0.severity)" }
        #expect(described == ["latency SLO local critical", "fallback storm chat critical", "throttling gpt4 critical"])
        #expect(alerts.map(\.text).contains("chat: 50% of requests served by fallbacks in the last \(seconds) s"))
        #expect(alerts.map(\.text).contains("gpt4: throttled 10 times in the last \(seconds) s (429)"))
        #expect(alerts.first?.text.hasPrefix("local: p95 ") == true)
        #expect(alerts.first?.text.hasSuffix(" ms over its 50 ms SLO") == true)
    }

    /// `count` requests for `model`, `workers` at a time; each must succeed.
    private func send(_ count: Int, model: String, workers: Int, through harness: GatewayHarness) async throws {
        let body = GatewayHarness.chatBody(model: model)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    for _ in stride(from: worker, to: count, by: workers) {
                        let response = try await harness.post("/v1/chat/completions", body)
                        #expect(response.status == 200, "\(response.status) \(response.bodyText.prefix(200))")
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
