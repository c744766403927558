import Foundation

/// The `routing` section: named routes and the targets they spread traffic
/// over. The routing engine turns this into its route table.
public struct RoutingSettings: Sendable, Equatable {
    public var targets: [RouteTargetSettings]
    public var routes: [RouteSettings]

    public init(targets: [RouteTargetSettings], routes: [RouteSettings]) {
        self.targets = targets
        self.routes = routes
    }
}

/// A model backend traffic can go to.
public struct RouteTargetSettings: Sendable, Equatable {
    public enum Backend: String, Sendable, Equatable, CaseIterable {
        case azureOpenAI = "azure_openai"
        case ollama
    }

    public var name: String
    public var backend: Backend
    /// Azure OpenAI deployment key (from `azure_openai.deployment_names`) or Ollama model.
    public var model: String
    public var inputCostPer1K: Decimal
    public var outputCostPer1K: Decimal

    public init(name: String, backend: Backend, model: String, inputCostPer1K: Decimal, outputCostPer1K: Decimal) {
        self.name = name
        self.backend = backend
        self.model = model
        self.inputCostPer1K = inputCostPer1K
        self.outputCostPer1K = outputCostPer1K
    }
}

/// One route: which targets serve it and how traffic is split.
public struct RouteSettings: Sendable, Equatable {
    public enum Policy: String, Sendable, Equatable, CaseIterable {
        case weighted, priority, cost, latency
    }

    public var name: String
    public var policy: Policy
    /// Target name -> weight (percentage points; weights sum to 100).
    public var weights: [(target: String, weight: Int)]
    /// Target names tried in order when the chosen one fails.
    public var fallback: [String]

    public init(name: String, policy: Policy, weights: [(target: String, weight: Int)], fallback: [String]) {
        self.name = name
        self.policy = policy
        self.weights = weights
        self.fallback = fallback
    }

    public static func == (a: RouteSettings, b: RouteSettings) -> Bool {
        a.name == b.name && a.policy == b.policy && a.fallback == b.fallback
            && a.weights.map(\.target) == b.weights.map(\.target) && a.weights.map(\.weight) == b.weights.map(\.weight)
    }
}

