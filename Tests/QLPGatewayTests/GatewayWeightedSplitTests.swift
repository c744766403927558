import Foundation
import QLPCore
import QLPEmulator
import QLPHTTP
import QLPRouting
import Synchronization
import Testing

@testable import QLPGateway

/// Acceptance 2: through the gateway on the emulator, 10,000 requests with
/// weights 50/30/20 over three deployments land within ±2 points of target,
/// as the gateway's x-qlp-target header and the emulator's own counts say.
@Suite(.timeLimit(.minutes(5))) struct GatewayWeightedSplitTests {
    @Test func tenThousandRequestsSplit50_30_20() async throws {
        var configuration = EmulatorConfiguration(world: CostWorld(seed: 42, firstDay: CivilDate(year: 2026, month: 10, day: 1)!))
        configuration.modelLatency = .off
        let emulator = AzureEmulator(configuration: configuration)
        let base = try await emulator.start()
        func azure(_ name: String, _ deployment: String) -> RouteTarget {
            RouteTarget(
                name: name, backend: .azureOpenAI, endpoint: base, upstreamModel: deployment,
                inputCostPer1K: Decimal(string: "0.0004")!, outputCostPer1K: Decimal(string: "0.0012")!, contextWindow: 16_000)
        }
        let targets = [
            azure("gpt4", "gpt4-deployment"), azure("gpt35", "gpt35-deployment"), ollamaTarget("llama3", base, model: "llama3:8b"),
        ]
        let harness = try await GatewayHarness.start(
            targets: targets,
            routes: [
                Route(
                    name: "chat", policy: .weighted,
                    shares: [.init(target: "gpt4", weight: 50), .init(target: "gpt35", weight: 30), .init(target: "llama3", weight: 20)],
                    fallback: [])
            ],
            upstream: UpstreamSettings(azureAPIVersion: "2024-10-21", azureAPIKey: Secret(EmulatorConfiguration.demoOpenAIKey)))
        let client = CurlTransport(maxConcurrentTransfers: 16)
        defer {
            client.shutdown()
            Task {
                await harness.stop()
                await emulator.stop()
            }
        }

        let total = 10_000
        let workers = 16
        final class Tally: Sendable {
            let counts = Mutex<[String: Int]>([:])
            let failures = Mutex<[String]>([])
        }
        let tally = Tally()
        let body = Array(GatewayHarness.chatBody(model: "chat").utf8)
        let url = harness.base + "/v1/chat/completions"
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    for _ in stride(from: worker, to: total, by: workers) {
                        do {
                            let response = try await client.send(
                                HTTPRequest(
                                    method: .post, url: url,
                                    headers: ["content-type": "application/json"], body: body))
                            if response.status == 200, let target = response.headers["x-qlp-target"] {
                                tally.counts.withLock { $0[target, default: 0] += 1 }
                            } else {
                                tally.failures.withLock { $0.append("\(response.status) \(response.bodyText.prefix(200))") }
                            }
                        } catch {
                            tally.failures.withLock { $0.append("\(error)") }
                        }
                    }
                }
            }
        }
        let seen = tally.counts.withLock { $0 }
        let failed = tally.failures.withLock { $0 }
        #expect(failed.isEmpty, "\(failed.count) failed, e.g. \(failed.prefix(3))")
        let expected = ["gpt4": 50.0, "gpt35": 30.0, "llama3": 20.0]
        let byModel = [
            "gpt4": emulator.statistics.requests(toModel: "gpt4-deployment"),
            "gpt35": emulator.statistics.requests(toModel: "gpt35-deployment"),
            "llama3": emulator.statistics.requests(toModel: "llama3:8b"),
        ]
        for (target, share) in expected {
            let viaHeader = Double(seen[target] ?? 0) * 100 / Double(total)
            let viaEmulator = Double(byModel[target] ?? 0) * 100 / Double(total)
            print("weighted split: \(target) expected \(share)%, gateway header \(viaHeader)%, emulator \(viaEmulator)%")
            #expect(abs(viaHeader - share) <= 2, "\(target): \(viaHeader)% through the gateway, expected \(share)% ± 2")
            #expect(abs(viaEmulator - share) <= 2, "\(target): \(viaEmulator)% at the emulator, expected \(share)% ± 2")
        }
        #expect(byModel.values.reduce(0, +) == total)
    }
}
