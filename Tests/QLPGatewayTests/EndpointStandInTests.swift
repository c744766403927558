import Foundation
import QLPRouting
import Testing

@testable import QLPGateway

/// Issue 17 item 8: the demo's route table names a stand-in endpoint, so that
/// the emulator's port of the day is not a config edit; requests (and probes,
/// through the same `liveEndpoint`) go to the address it stands for.
@Suite struct EndpointStandInTests {
    /// The demo's table names a stand-in; requests go to the emulator's address of the run.
    @Test func aStandInEndpointIsSentToTheAddressItStandsFor() throws {
        let standIn = "http://emulator.qlp-demo.invalid"
        var settings = UpstreamSettings()
        settings.endpointStandIns = [standIn: "http://127.0.0.1:4567"]
        let azure = RouteTarget(
            name: "gpt4", backend: .azureOpenAI, endpoint: standIn, upstreamModel: "gpt4-deployment",
            inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 8192)
        let ollama = RouteTarget(
            name: "llama3", backend: .ollama, endpoint: standIn, upstreamModel: "llama3:8b",
            inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 8192)
        let other = RouteTarget(
            name: "real", backend: .ollama, endpoint: "http://127.0.0.1:11434", upstreamModel: "m",
            inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 8192)
        let client = try ClientRequest(
            operation: .chatCompletions, body: Array(#"{"model":"chat","messages":[{"role":"user","content":"hi"}]}"#.utf8))
        #expect(UpstreamCall.request(for: client, to: azure, settings: settings).url.hasPrefix("http://127.0.0.1:4567/openai/deployments/"))
        #expect(UpstreamCall.request(for: client, to: ollama, settings: settings).url == "http://127.0.0.1:4567/v1/chat/completions")
        #expect(UpstreamCall.request(for: client, to: other, settings: settings).url == "http://127.0.0.1:11434/v1/chat/completions")
    }
}
