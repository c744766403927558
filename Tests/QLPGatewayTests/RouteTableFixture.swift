import Foundation
import QLPRouting

/// A small route table for the route store, authority and admin API tests:
/// chat over three targets, code over two, one budget rule.
enum RouteTableFixture {
    static func cost(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))! }

    static let targets = [
        RouteTarget(
            name: "gpt4", backend: .azureOpenAI, endpoint: "http://127.0.0.1:9/", upstreamModel: "gpt4-deployment",
            modelNames: ["gpt-4", "gpt-4-turbo-preview"], inputCostPer1K: cost("0.0079"), outputCostPer1K: cost("0.0237"),
            contextWindow: 128_000),
        RouteTarget(
            name: "gpt35", backend: .azureOpenAI, endpoint: "http://127.0.0.1:9", upstreamModel: "gpt35-deployment",
            modelNames: ["gpt-35-turbo"], inputCostPer1K: cost("0.0004"), outputCostPer1K: cost("0.0012"),
            contextWindow: 16_385),
        RouteTarget(
            name: "llama3", backend: .ollama, endpoint: "http://127.0.0.1:11434", upstreamModel: "llama3:8b",
            modelNames: ["llama3:8b"], inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 8192),
        RouteTarget(
            name: "codellama", backend: .ollama, endpoint: "http://127.0.0.1:11434", upstreamModel: "codellama:13b",
            inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 16_384),
    ]

    static let rule = BudgetRoutingRule(
        name: "openai_over_95", category: "azure_openai", atPercent: 95, route: "chat",
        sendTo: "llama3", exceptTargets: ["gpt4"])

    static func table(version: Int = 1, chat: [(String, Int)] = [("gpt4", 40), ("gpt35", 40), ("llama3", 20)]) -> RouteTable {
        RouteTable(
            version: version, targets: targets,
            routes: [
                Route(
                    name: "chat", policy: .weighted, shares: chat.map { Route.Share(target: $0.0, weight: $0.1) },
                    fallback: ["gpt35", "llama3"]),
                Route(
                    name: "code", policy: .weighted, shares: [.init(target: "gpt4", weight: 30), .init(target: "codellama", weight: 70)],
                    fallback: ["gpt35"]),
            ], budgetRules: [rule])
    }

    /// A fresh temporary directory for one test's database.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "qlp-routes-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
