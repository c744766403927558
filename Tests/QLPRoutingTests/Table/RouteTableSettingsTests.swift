import Foundation
import QLPCore
import Testing

@testable import QLPRouting

@Suite struct RouteTableSettingsTests {
    let azure = AzureOpenAISettings(
        endpoint: "https://x.openai.azure.com/", apiVersion: "2024-02-15-preview",
        models: [
            "gpt4_turbo": "gpt-4-turbo-preview", "gpt35_turbo": "gpt-35-turbo",
            "embeddings": "text-embedding-ada-002",
        ],
        deploymentNames: [
            "gpt4": "gpt4-deployment", "gpt35": "gpt35-deployment",
            "embeddings": "embeddings-deployment",
        ], apiKey: nil)
    let ollama = OllamaSettings(
        endpoint: "http://127.0.0.1:11434", models: ["llama3:8b", "phi3:mini"], vpnConnection: nil,
        fallbackToAzure: false)

    var settings: RoutingSettings {
        RoutingSettings(
            targets: [
                RouteTargetSettings(
                    name: "gpt4", backend: .azureOpenAI, model: "gpt4", inputCostPer1K: 0.0079, outputCostPer1K: 0.0237,
                    aliases: ["gpt-4", "gpt-4-turbo"]),
                RouteTargetSettings(
                    name: "embeddings", backend: .azureOpenAI, model: "embeddings", inputCostPer1K: 0.00008,
                    outputCostPer1K: 0),
                RouteTargetSettings(name: "llama3", backend: .ollama, model: "llama3:8b", inputCostPer1K: 0, outputCostPer1K: 0),
                RouteTargetSettings(
                    name: "phi", backend: .ollama, model: "phi3:mini", inputCostPer1K: 0, outputCostPer1K: 0,
                    contextWindow: 4096),
            ],
            routes: [
                RouteSettings(
                    name: "chat", policy: .cost, weights: [("gpt4", 50), ("llama3", 50)], fallback: ["phi"],
                    latencySLO: .milliseconds(800))
            ],
            budgetRules: [
                BudgetRuleSettings(
                    name: "openai_over_95", category: "azure_openai", atPercent: 95, route: "chat",
                    sendTo: "llama3", exceptModels: ["gpt4"])
            ])
    }

    @Test func buildsTargetsFromTheModelSections() throws {
        let table = RouteTable(settings: settings, azureOpenAI: azure, ollama: ollama)
        #expect(table.version == 1)
        let gpt4 = try #require(table.target(named: "gpt4"))
        #expect(gpt4.endpoint == "https://x.openai.azure.com")
        #expect(gpt4.upstreamModel == "gpt4-deployment")
        #expect(gpt4.modelNames == ["gpt-4", "gpt-4-turbo", "gpt-4-turbo-preview"])
        #expect(gpt4.contextWindow == 128_000)
        #expect(gpt4.backend == .azureOpenAI)
        let embeddings = try #require(table.target(named: "embeddings"))
        #expect(embeddings.modelNames == ["text-embedding-ada-002"])
        #expect(embeddings.contextWindow == 8_191)
        let llama = try #require(table.target(named: "llama3"))
        #expect(llama.endpoint == "http://127.0.0.1:11434")
        #expect(llama.upstreamModel == "llama3:8b")
        #expect(llama.modelNames == ["llama3:8b"])
        #expect(llama.contextWindow == 8_192)
        #expect(table.target(named: "phi")?.contextWindow == 4096)
    }

    @Test func buildsRoutesAndRules() {
        let table = RouteTable(settings: settings, azureOpenAI: azure, ollama: ollama)
        #expect(
            table.routes == [
                Route(
                    name: "chat", policy: .cost,
                    shares: [.init(target: "gpt4", weight: 50), .init(target: "llama3", weight: 50)],
                    fallback: ["phi"], latencySLOMilliseconds: 800)
            ])
        #expect(table.budgetRules == [RoutingFixture.openAIRule])
        #expect(table.drained.isEmpty)
        let routes = CompiledRoutes(table: table)
        #expect(routes.resolve(model: "gpt-4-turbo-preview") == RouteResolution(route: "chat", pinnedTarget: "gpt4"))
        #expect(routes.resolve(model: "llama3:8b") == RouteResolution(route: "chat", pinnedTarget: "llama3"))
    }
}
