import Testing

@testable import QLPRouting

@Suite struct RouteTargetTests {
    @Test func endpointLosesTrailingSlashesAndAnswersToItsNames() {
        let target = RouteTarget(
            name: "gpt4", backend: .azureOpenAI, endpoint: "https://x.openai.azure.com//",
            upstreamModel: "gpt4-deployment", modelNames: ["gpt-4", "gpt-4-turbo-preview"],
            inputCostPer1K: 0.0079, outputCostPer1K: 0.0237, contextWindow: 128_000)
        #expect(target.endpoint == "https://x.openai.azure.com")
        #expect(target.answers(to: "gpt4"))
        #expect(target.answers(to: "gpt-4"))
        #expect(!target.answers(to: "gpt-35-turbo"))
    }
}
