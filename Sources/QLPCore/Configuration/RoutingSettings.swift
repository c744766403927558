import Foundation

/// The `routing` section: named routes and the targets they spread traffic
/// over. The routing engine turns this into its route table.
public struct RoutingSettings: Sendable, Equatable {
    public var targets: [RouteTargetSettings]
    public var routes: [RouteSettings]
    /// `budget_rules`, in file order.
    public var budgetRules: [BudgetRuleSettings]
    /// `savings_baseline`: route name -> the target the finance report prices
    /// that route's requests at, to show what routing saved. A route not named
    /// here is priced at its most expensive target (`SavingsBaseline` in QLPReport).
    public var savingsBaseline: [String: String]

    public init(
        targets: [RouteTargetSettings], routes: [RouteSettings], budgetRules: [BudgetRuleSettings] = [],
        savingsBaseline: [String: String] = [:]
    ) {
        self.targets = targets
        self.routes = routes
        self.budgetRules = budgetRules
        self.savingsBaseline = savingsBaseline
    }
}

/// A `routing.budget_rules` entry: when `category`'s spend reaches
/// `atPercent` of its allocation, `route` sends its traffic to `sendTo`,
/// except requests asking for one of `exceptModels`.
public struct BudgetRuleSettings: Sendable, Equatable {
    public var name: String
    /// A key of `budget.allocation`.
    public var category: String
    /// Percent of the allocation, 0 < x <= 200.
    public var atPercent: Decimal
    public var route: String
    /// A target name.
    public var sendTo: String
    /// Target names whose requests are not moved.
    public var exceptModels: [String]

    public init(name: String, category: String, atPercent: Decimal, route: String, sendTo: String, exceptModels: [String]) {
        self.name = name
        self.category = category
        self.atPercent = atPercent
        self.route = route
        self.sendTo = sendTo
        self.exceptModels = exceptModels
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
    /// More names clients may ask for this target by ("gpt-4").
    public var aliases: [String]
    /// Tokens of context, as written in config; nil to take the known model's
    /// (`ModelContextWindows`), which the parser checks exists.
    public var contextWindow: Int?
    /// `latency_slo`: the p95 latency the model should keep to; over it, the
    /// target shows slow and a latency alert is raised. nil: none set.
    public var latencySLO: Duration?

    public init(
        name: String, backend: Backend, model: String, inputCostPer1K: Decimal, outputCostPer1K: Decimal,
        aliases: [String] = [], contextWindow: Int? = nil, latencySLO: Duration? = nil
    ) {
        self.name = name
        self.backend = backend
        self.model = model
        self.inputCostPer1K = inputCostPer1K
        self.outputCostPer1K = outputCostPer1K
        self.aliases = aliases
        self.contextWindow = contextWindow
        self.latencySLO = latencySLO
    }

    /// The model's own name: the Ollama model, or for Azure the model behind the
    /// deployment key when `azure_openai.models` says (see `AzureOpenAISettings.modelName(deployment:)`).
    public func modelName(azureOpenAI: AzureOpenAISettings?) -> String? {
        switch backend {
        case .ollama: model
        case .azureOpenAI: azureOpenAI?.modelName(deployment: model)
        }
    }
}

extension AzureOpenAISettings {
    /// The model a deployment key serves. The seed's section keys its models
    /// and its deployments differently (`models.gpt4_turbo` is
    /// "gpt-4-turbo-preview", `deployment_names.gpt4` is "gpt4-deployment"), so
    /// a deployment key matches a model key that is the same word or that word
    /// followed by "_" (gpt4 -> gpt4_turbo); with no such key, or more than one,
    /// the model is unknown.
    public func modelName(deployment key: String) -> String? {
        if let exact = models[key] { return exact }
        let prefixed = models.filter { $0.key.hasPrefix(key + "_") }
        return prefixed.count == 1 ? prefixed.first?.value : nil
    }
}

/// Context windows of the seed's models, so that config need not repeat them.
/// From the models' documentation: GPT-4 Turbo 128k, GPT-3.5 Turbo (0125)
/// 16,385, text-embedding-ada-002 8,191 input tokens; Ollama's llama3:8b 8k,
/// codellama:13b 16k, mistral:7b 32k.
public enum ModelContextWindows {
    public static let known: [(model: String, tokens: Int)] = [
        ("gpt-4-turbo", 128_000),
        ("gpt-35-turbo", 16_385),
        ("gpt-3.5-turbo", 16_385),
        ("text-embedding-ada-002", 8_191),
        ("llama3:8b", 8_192),
        ("codellama:13b", 16_384),
        ("mistral:7b", 32_768),
    ]

    /// The window of a known model; a dated or suffixed variant counts
    /// ("gpt-4-turbo-preview", "gpt-35-turbo-0125"). Nil for any other model.
    public static func tokens(for model: String) -> Int? {
        let name = model.lowercased()
        return known.first { name == $0.model || name.hasPrefix($0.model + "-") }?.tokens
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
    /// `latency_slo`: for the cost policy, the latency a target must meet.
    public var latencySLO: Duration?

    public init(
        name: String, policy: Policy, weights: [(target: String, weight: Int)], fallback: [String],
        latencySLO: Duration? = nil
    ) {
        self.name = name
        self.policy = policy
        self.weights = weights
        self.fallback = fallback
        self.latencySLO = latencySLO
    }

    public static func == (a: RouteSettings, b: RouteSettings) -> Bool {
        a.name == b.name && a.policy == b.policy && a.fallback == b.fallback && a.latencySLO == b.latencySLO
            && a.weights.map(\.target) == b.weights.map(\.target) && a.weights.map(\.weight) == b.weights.map(\.weight)
    }
}
