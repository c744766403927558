import Foundation
import QLPCore
import QLPRouting
import Testing

@testable import QLPGateway

/// Reading a probe's answer without a server: streams with and without
/// usage, cut-off streams, embeddings, and Ollama's listings as its docs show them.
@Suite struct ProbeReadingTests {
    @Test func aStreamWithoutUsageIsCountedFromItsChunks() {
        let body = """
            data: {"id":"x","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}\r
            \r
            data: {"id":"x","choices":[{"index":0,"delta":{"content":"Hi"}}]}\r
            \r
            data: {"id":"x","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}\r
            \r
            data: [DONE]\r
            \r

            """
        let reading = ProbeReading.stream(Array(body.utf8))
        #expect(reading.complete)
        #expect(reading.problem == nil)
        #expect(reading.promptTokens == nil)
        #expect(reading.contentChunks == 1)
    }

    @Test func aStreamCutShortOrCarryingAnErrorIsAProblem() {
        let cut = ProbeReading.stream(Array("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: {\"cho".utf8))
        #expect(!cut.complete)
        #expect(cut.problem != nil)
        let failed = ProbeReading.stream(Array("data: {\"error\":{\"message\":\"overloaded\"}}\n\ndata: [DONE]\n\n".utf8))
        #expect(failed.problem?.contains("overloaded") == true)
    }

    @Test func embeddingsNeedAVector() {
        let good = ProbeReading.embeddings(Array(#"{"data":[{"embedding":[0.1,0.2]}],"usage":{"prompt_tokens":1,"total_tokens":1}}"#.utf8))
        #expect(good.complete && good.promptTokens == 1)
        #expect(ProbeReading.embeddings(Array(#"{"data":[]}"#.utf8)).problem == "the body has no embedding")
        #expect(ProbeReading.embeddings(Array("<html>".utf8)).problem == "the body is not JSON")
    }

    /// /api/ps and /api/tags as Ollama's docs show them (docs/api.md).
    @Test func ollamaListingsFromTheDocsParse() throws {
        let ps = #"""
            {"models":[{"name":"mistral:latest","model":"mistral:latest","size":5137025024,
            "digest":"2ae6f6dd7a3dd734790bbbf58b8909a606e0e7e97e94b7604e0aa7ae4490e6d8",
            "details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],"parameter_size":"7.2B",
            "quantization_level":"Q4_0"},"expires_at":"2024-06-04T14:38:31.83753-07:00","size_vram":5137025024}]}
            """#
        let loaded = try OllamaModelStatus.parsePS(Array(ps.utf8))
        #expect(loaded.map(\.name) == ["mistral:latest"])
        #expect(loaded.first?.sizeVRAM == 5_137_025_024)
        let expected = try #require(ISO8601DateFormatter().date(from: "2024-06-04T21:38:31Z"))
        #expect(abs((loaded.first?.expiresAt ?? .distantPast).timeIntervalSince(expected) - 0.837) < 0.001)
        #expect(OllamaModelStatus.date("2026-11-26T20:56:29.518930196Z") != nil)
        #expect(OllamaModelStatus.date("2026-11-26T20:56:29Z") != nil)
        let tags = #"{"models":[{"name":"deepseek-r1:latest","model":"deepseek-r1:latest"},{"name":"llama3.2:latest"}]}"#
        #expect(try OllamaModelStatus.parseTags(Array(tags.utf8)) == ["deepseek-r1:latest", "llama3.2:latest"])
        let status = OllamaModelStatus(endpoint: "http://127.0.0.1:11434", at: Date(), available: ["llama3.2:latest"], loaded: loaded)
        #expect(status.state(of: "mistral") == .loaded(until: loaded.first?.expiresAt))
        #expect(status.state(of: "llama3.2") == .available)
        #expect(status.state(of: "phi3:mini") == .missing)
        #expect { _ = try OllamaModelStatus.parseTags(Array(#"{"items":[]}"#.utf8)) } throws: {
            "\($0)".contains("no \"models\" array")
        }
    }

    @Test func targetsOfATableAreProbedAsTheRoutesTheyServe() {
        func target(_ name: String) -> RouteTarget {
            RouteTarget(
                name: name, backend: .azureOpenAI, endpoint: "http://127.0.0.1:1", upstreamModel: name,
                inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 1)
        }
        let table = RouteTable(
            version: 1, targets: [target("gpt4"), target("ada"), target("spare")],
            routes: [
                Route(name: "chat", policy: .weighted, shares: [Route.Share(target: "gpt4", weight: 1)], fallback: []),
                Route(name: "embeddings", policy: .priority, shares: [Route.Share(target: "ada", weight: 1)], fallback: []),
            ])
        let kinds = Dictionary(uniqueKeysWithValues: ProbeTarget.all(in: table).map { ($0.target.name, $0.kind) })
        #expect(kinds == ["gpt4": ProbeTarget.Kind.chat, "ada": .embeddings, "spare": .chat])
    }

    @Test func settingsComeFromTheGatewaysOwn() {
        let settings = ModelProber.Settings(
            gateway: GatewaySettings(requestTimeout: .seconds(60), probeInterval: .seconds(15)),
            upstream: UpstreamSettings(azureAPIVersion: "2024-06-01", azureAPIKey: Secret("k")))
        #expect(settings.interval == .seconds(15))
        #expect(settings.timeout == .seconds(20))
        #expect(settings.azureAPIVersion == "2024-06-01")
        #expect(settings.azureAPIKey == Secret("k"))
    }
}
