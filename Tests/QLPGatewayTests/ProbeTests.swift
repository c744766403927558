import Foundation
import QLPCore
import QLPEmulator
import QLPGateway
import QLPHTTP
import QLPRouting
import QLPTestSupport
import Synchronization
import Testing

/// Model latency probes against the emulator (in-process, free port, model
/// latency on at a twentieth of realistic): what they measure, what they cost,
/// what they skip, how they fail, and the Ollama model listing.
@Suite struct ProbeTests {
    static let key = Secret(EmulatorConfiguration.demoOpenAIKey)

    struct Upstreams {
        let emulator: AzureEmulator
        let base: String
        let transport: CurlTransport

        var gpt4: RouteTarget {
            RouteTarget(
                name: "gpt4", backend: .azureOpenAI, endpoint: base, upstreamModel: "gpt4-deployment",
                inputCostPer1K: Decimal(string: "0.008")!, outputCostPer1K: Decimal(string: "0.024")!, contextWindow: 128_000)
        }
        var gpt35: RouteTarget {
            RouteTarget(
                name: "gpt35", backend: .azureOpenAI, endpoint: base, upstreamModel: "gpt35-deployment",
                inputCostPer1K: Decimal(string: "0.0004")!, outputCostPer1K: Decimal(string: "0.0012")!, contextWindow: 16_385)
        }
        var embeddings: RouteTarget {
            RouteTarget(
                name: "ada", backend: .azureOpenAI, endpoint: base, upstreamModel: "embeddings-deployment",
                inputCostPer1K: Decimal(string: "0.0001")!, outputCostPer1K: 0, contextWindow: 8191)
        }
        var llama: RouteTarget {
            RouteTarget(
                name: "llama3", backend: .ollama, endpoint: base, upstreamModel: "llama3:8b",
                inputCostPer1K: Decimal(string: "0.0001")!, outputCostPer1K: Decimal(string: "0.0002")!, contextWindow: 8192)
        }
        var codellama: RouteTarget {
            RouteTarget(
                name: "codellama", backend: .ollama, endpoint: base, upstreamModel: "codellama:13b",
                inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 16_384)
        }

        var all: [ProbeTarget] {
            [
                ProbeTarget(gpt4, kind: .chat), ProbeTarget(gpt35, kind: .chat), ProbeTarget(embeddings, kind: .embeddings),
                ProbeTarget(llama, kind: .chat),
            ]
        }

        func prober(
            _ targets: [ProbeTarget], interval: Duration = .seconds(30), key: Secret? = ProbeTests.key,
            servedRecently: @escaping @Sendable (String) -> Bool = { _ in false },
            onResult: @escaping @Sendable (ProbeResult) -> Void = { _ in },
            onOllamaStatus: @escaping @Sendable (OllamaModelStatus) -> Void = { _ in }
        ) -> ModelProber {
            ModelProber(
                targets: { targets },
                settings: ModelProber.Settings(
                    interval: interval, azureAPIVersion: "2024-10-21", azureAPIKey: key,
                    timeout: .seconds(20)),
                transport: transport, servedRecently: servedRecently, onResult: onResult, onOllamaStatus: onOllamaStatus)
        }
    }

    func withUpstreams(_ body: (Upstreams) async throws -> Void) async throws {
        var configuration = EmulatorConfiguration(world: CostWorld(seed: 1, firstDay: CivilDate(year: 2026, month: 10, day: 1)!))
        configuration.modelLatency = .scaled(0.05)
        let emulator = AzureEmulator(configuration: configuration)
        let base = try await emulator.start()
        let upstreams = Upstreams(emulator: emulator, base: base, transport: CurlTransport())
        do {
            try await body(upstreams)
        } catch {
            upstreams.transport.shutdown()
            await emulator.stop()
            throw error
        }
        upstreams.transport.shutdown()
        await emulator.stop()
    }

    @Test func aRoundMeasuresEveryTargetAndCountsItsCost() async throws {
        try await withUpstreams { u in
            let delivered = Mutex<[ProbeResult]>([])
            let prober = u.prober(u.all, onResult: { result in delivered.withLock { $0.append(result) } })
            let results = await prober.probeRound()
            #expect(Set(results.map(\.target)) == ["gpt4", "gpt35", "ada", "llama3"])
            #expect(delivered.withLock { $0 }.count == 4)
            for result in results {
                #expect(result.ok, "\(result.target): \(result.failure?.description ?? "")")
                #expect(result.totalMilliseconds > 0)
                #expect(!result.usageEstimated)
            }
            let gpt4 = try #require(results.first { $0.target == "gpt4" })
            let ttft = try #require(gpt4.timeToFirstTokenMilliseconds)
            #expect(ttft > 0 && ttft < gpt4.totalMilliseconds)
            #expect(gpt4.completionTokens == 1)
            #expect(gpt4.promptTokens == 8)
            // 8 prompt tokens at £0.008/1k and 1 completion token at £0.024/1k.
            #expect(gpt4.cost == Decimal(string: "0.000088")!)
            let ada = try #require(results.first { $0.target == "ada" })
            #expect(ada.timeToFirstTokenMilliseconds == nil)
            #expect(ada.completionTokens == 0 && ada.promptTokens == 1)
            #expect(ada.latencyMilliseconds == ada.totalMilliseconds)
            let llama = try #require(results.first { $0.target == "llama3" })
            // llama3 is loaded from the emulator's start.
            guard case .loaded(let until)? = llama.ollamaModel else {
                Issue.record("llama3 should be loaded, found \(String(describing: llama.ollamaModel))")
                return
            }
            #expect(until != nil)
            let totals = prober.totals
            #expect(totals.probes == 4 && totals.failures == 0 && totals.skipped == 0)
            #expect(totals.cost == results.reduce(Decimal(0)) { $0 + $1.cost })
            #expect(totals.completionTokens == 3)
            // The probes are what reached the emulator: one request per target.
            #expect(
                u.emulator.statistics.requestsPerModel == [
                    "gpt4-deployment": 1, "gpt35-deployment": 1,
                    "embeddings-deployment": 1, "llama3:8b": 1,
                ])
        }
    }

    @Test func aTargetThatServedTrafficIsNotProbed() async throws {
        try await withUpstreams { u in
            let prober = u.prober(u.all, servedRecently: { $0 == "gpt4" || $0 == "llama3" })
            let results = await prober.probeRound()
            #expect(Set(results.map(\.target)) == ["gpt35", "ada"])
            #expect(prober.totals.skipped == 2)
            #expect(u.emulator.statistics.requests(toModel: "gpt4-deployment") == 0)
            #expect(u.emulator.statistics.requests(toModel: "llama3:8b") == 0)
        }
    }

    @Test func ollamaListingsSayWhichModelsAreLoaded() async throws {
        try await withUpstreams { u in
            let statuses = Mutex<[OllamaModelStatus]>([])
            let prober = u.prober(
                [ProbeTarget(u.llama, kind: .chat), ProbeTarget(u.codellama, kind: .chat)],
                onOllamaStatus: { status in statuses.withLock { $0.append(status) } })
            let results = await prober.probeRound()
            let status = try #require(statuses.withLock { $0 }.first)
            #expect(statuses.withLock { $0 }.count == 1)  // one server, listed once
            #expect(status.failure == nil)
            #expect(status.available == ["llama3:8b", "codellama:13b", "mistral:7b"])
            #expect(status.loaded.map(\.name) == ["llama3:8b"])
            #expect(status.loaded.first?.expiresAt != nil)
            #expect(status.state(of: "mistral:7b") == .available)
            #expect(status.state(of: "phi3") == .missing)
            // codellama was cold before its probe; the probe loaded it.
            #expect(results.first { $0.target == "codellama" }?.ollamaModel == .available)
            let after = await prober.ollamaStatus(endpoint: u.base)
            #expect(after.loaded.map(\.name) == ["codellama:13b", "llama3:8b"])
        }
    }

    @Test func failuresSayWhatTheUpstreamAnswered() async throws {
        try await withUpstreams { u in
            u.emulator.faults.set(EndpointFault(status: 429, retryAfterSeconds: 3), forModel: "gpt35-deployment")
            u.emulator.faults.set(EndpointFault(malformedBody: true), forModel: "llama3:8b")
            let prober = u.prober(u.all)
            let results = await prober.probeRound()
            let gpt35 = try #require(results.first { $0.target == "gpt35" }?.failure)
            #expect(gpt35.status == 429)
            #expect(gpt35.upstreamFailure == .throttled(retryAfterSeconds: 3))
            #expect(gpt35.bodyExcerpt.contains("exceeded token rate limit"))
            let llama = try #require(results.first { $0.target == "llama3" }?.failure)
            #expect(llama.status == 200)
            #expect(llama.reason.contains("[DONE]"))
            #expect(results.first { $0.target == "gpt4" }?.ok == true)
            #expect(prober.totals.failures == 2)

            // A wrong key: 401, and the key appears nowhere in what is reported.
            let wrong = u.prober([ProbeTarget(u.gpt4, kind: .chat)], key: Secret("not-the-key-0123456789"))
            let denied = try #require(await wrong.probeRound().first)
            #expect(denied.failure?.status == 401)
            #expect(denied.failure?.upstreamFailure == .status(401))
            #expect(!"\(denied)".contains("not-the-key-0123456789"))

            // Nothing listening: a connect failure, not a crash.
            let closed = try ReservedLoopbackPort()
            var gone = u.llama
            gone.endpoint = closed.base
            let unreachable = try #require(await u.prober([ProbeTarget(gone, kind: .chat)]).probeRound().first)
            #expect(unreachable.failure?.upstreamFailure == .connect)
            #expect(unreachable.failure?.status == nil)
        }
    }

    @Test func runProbesEachIntervalUntilCancelled() async throws {
        try await withUpstreams { u in
            let (stream, continuation) = AsyncStream<ProbeResult>.makeStream()
            let prober = u.prober(
                [ProbeTarget(u.gpt35, kind: .chat)], interval: .milliseconds(20),
                onResult: { continuation.yield($0) })
            let running = Task { await prober.run() }
            var seen = 0
            for await result in stream {
                #expect(result.ok)
                seen += 1
                if seen == 3 { break }
            }
            running.cancel()
            await running.value
            let after = prober.totals.probes
            #expect(after >= 3)
            #expect(u.emulator.statistics.requests(toModel: "gpt35-deployment") == after)
            let off = u.prober([ProbeTarget(u.gpt35, kind: .chat)], interval: .zero)
            await off.run()  // returns at once: probing is off
            #expect(off.totals.probes == 0)
        }
    }
}
