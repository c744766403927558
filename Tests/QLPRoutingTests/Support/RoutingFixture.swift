import Foundation

@testable import QLPRouting

/// Targets and tables shaped like the example config, for engine tests.
enum RoutingFixture {
    static func target(
        _ name: String, _ backend: RouteTarget.Backend = .ollama, input: Decimal = 0, output: Decimal = 0,
        modelNames: [String] = []
    ) -> RouteTarget {
        RouteTarget(
            name: name, backend: backend,
            endpoint: backend == .ollama ? "http://127.0.0.1:11434" : "https://x.openai.azure.com",
            upstreamModel: name, modelNames: modelNames, inputCostPer1K: input, outputCostPer1K: output,
            contextWindow: 8192)
    }

    static let targets: [RouteTarget] = [
        target("gpt4", .azureOpenAI, input: 0.0079, output: 0.0237, modelNames: ["gpt-4", "gpt-4-turbo"]),
        target("gpt35", .azureOpenAI, input: 0.0004, output: 0.0012, modelNames: ["gpt-3.5-turbo", "gpt-35-turbo"]),
        target("embeddings", .azureOpenAI, input: 0.00008),
        target("llama3"),
        target("codellama"),
        target("mistral"),
    ]

    static let openAIRule = BudgetRoutingRule(
        name: "openai_over_95", category: "azure_openai", atPercent: 95,
        route: "chat", sendTo: "llama3", exceptTargets: ["gpt4"])

    /// chat 40/40/20 weighted, code 30/70, embeddings by priority.
    static func table(chatPolicy: Route.Policy = .weighted, drained: [String] = []) -> RouteTable {
        RouteTable(
            version: 1, targets: targets,
            routes: [
                Route(
                    name: "chat", policy: chatPolicy,
                    shares: [.init(target: "gpt4", weight: 40), .init(target: "gpt35", weight: 40), .init(target: "llama3", weight: 20)],
                    fallback: ["gpt35", "llama3", "mistral"]),
                Route(
                    name: "code", policy: .weighted,
                    shares: [.init(target: "gpt4", weight: 30), .init(target: "codellama", weight: 70)],
                    fallback: ["gpt35", "codellama"]),
                Route(name: "embeddings", policy: .priority, shares: [.init(target: "embeddings", weight: 100)], fallback: []),
            ], drained: drained, budgetRules: [openAIRule])
    }

    /// One weighted route "r" over targets a, b, c with the given weights, then fallback.
    static func weighted(_ weights: [Int], fallback: [String] = [], drained: [String] = []) -> RouteTable {
        let names = ["a", "b", "c", "d", "e"]
        return RouteTable(
            version: 1, targets: names.map { target($0) },
            routes: [
                Route(
                    name: "r", policy: .weighted,
                    shares: weights.enumerated().map { Route.Share(target: names[$0.offset], weight: $0.element) },
                    fallback: fallback)
            ], drained: drained)
    }

    static func names(_ targets: [RouteTarget]) -> [String] { targets.map(\.name) }
}
