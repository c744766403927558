import QLPCore

extension RouteTable {
    /// Ollama listens here unless its section says otherwise.
    public static let defaultOllamaEndpoint = "http://127.0.0.1:11434"

    /// The table as config describes it, version 1. Expects settings as the
    /// config parser validates them: Azure targets have the `azure_openai`
    /// section, and every target has a context window in config or a known model.
    ///
    /// A target answers to its name, its aliases and its model's own name
    /// (the Azure model behind the deployment when `azure_openai.models` says,
    /// the Ollama model such as "llama3:8b"). The upstream is asked for the
    /// Azure deployment name or the Ollama model.
    public init(settings: RoutingSettings, azureOpenAI: AzureOpenAISettings?, ollama: OllamaSettings?) {
        let targets = settings.targets.map { target in
            let modelName = target.modelName(azureOpenAI: azureOpenAI)
            var names: [String] = []
            for name in target.aliases + [modelName].compactMap({ $0 }) where name != target.name && !names.contains(name) {
                names.append(name)
            }
            let endpoint: String
            let upstreamModel: String
            switch target.backend {
            case .azureOpenAI:
                endpoint = azureOpenAI?.endpoint ?? ""
                upstreamModel = azureOpenAI?.deploymentNames[target.model] ?? target.model
            case .ollama:
                endpoint = ollama?.endpoint ?? Self.defaultOllamaEndpoint
                upstreamModel = target.model
            }
            return RouteTarget(
                name: target.name, backend: RouteTarget.Backend(target.backend), endpoint: endpoint,
                upstreamModel: upstreamModel, modelNames: names,
                inputCostPer1K: target.inputCostPer1K, outputCostPer1K: target.outputCostPer1K,
                contextWindow: target.contextWindow ?? modelName.flatMap(ModelContextWindows.tokens(for:)) ?? 0,
                latencySLOMilliseconds: target.latencySLO.map(Self.milliseconds))
        }
        let routes = settings.routes.map { route in
            Route(
                name: route.name, policy: Route.Policy(route.policy),
                shares: route.weights.map { Route.Share(target: $0.target, weight: $0.weight) },
                fallback: route.fallback, latencySLOMilliseconds: route.latencySLO.map(Self.milliseconds))
        }
        let rules = settings.budgetRules.map { rule in
            BudgetRoutingRule(
                name: rule.name, category: rule.category, atPercent: rule.atPercent, route: rule.route,
                sendTo: rule.sendTo, exceptTargets: rule.exceptModels)
        }
        self.init(version: 1, targets: targets, routes: routes, budgetRules: rules)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

extension RouteTarget.Backend {
    init(_ backend: RouteTargetSettings.Backend) {
        switch backend {
        case .azureOpenAI: self = .azureOpenAI
        case .ollama: self = .ollama
        }
    }
}

extension Route.Policy {
    init(_ policy: RouteSettings.Policy) {
        switch policy {
        case .weighted: self = .weighted
        case .priority: self = .priority
        case .cost: self = .cost
        case .latency: self = .latency
        }
    }
}
