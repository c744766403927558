import Foundation
import QLPCore

/// The `routing` section: targets, routes and budget rules, cross-checked
/// against each other, against the model sections they name and against the
/// budget's categories.
enum RoutingSectionParser {
    static let keys = ["targets", "routes", "budget_rules", "savings_baseline"]
    /// The keys of each target, route and budget rule (their names are the file's own).
    static let targetKeys = ["backend", "model", "cost_per_1k_input", "cost_per_1k_output", "aliases", "context_window", "latency_slo"]
    static let routeKeys = ["policy", "weights", "fallback", "latency_slo"]
    static let budgetRuleKeys = ["category", "at_percent", "route", "send_to", "except_models"]

    static func parse(
        _ section: ConfigValue, _ r: ConfigReader, azureOpenAI: AzureOpenAISettings?,
        ollama: OllamaSettings?, budget: BudgetPlan? = nil
    ) -> RoutingSettings? {
        guard let map = r.mapping(section, allowed: keys) else { return nil }
        var targets: [RouteTargetSettings] = []
        // Every target named in the file, valid or not, so that one bad target is
        // reported once, not again as "no target named" by each route using it.
        var names: Set<String> = []
        var aliases: [(alias: String, target: String, value: ConfigValue)] = []
        if let value = r.required(map, "targets"), let entries = r.mapping(value) {
            for entry in entries.entries {
                names.insert(entry.key)
                if let target = target(entry.key, entry.value, r, azureOpenAI: azureOpenAI, ollama: ollama, aliases: &aliases) {
                    targets.append(target)
                }
            }
        }
        var routes: [RouteSettings] = []
        var routeNames: Set<String> = []
        if let value = r.required(map, "routes"), let entries = r.mapping(value) {
            for entry in entries.entries {
                routeNames.insert(entry.key)
                if let route = route(entry.key, entry.value, r, targets: names) { routes.append(route) }
            }
        }
        checkAliases(aliases, r, targets: names, routes: routeNames)
        var rules: [BudgetRuleSettings] = []
        if let value = r.optional(map, "budget_rules"), let entries = r.mapping(value) {
            for entry in entries.entries {
                if let rule = budgetRule(entry.key, entry.value, r, targets: names, routes: routeNames, budget: budget) {
                    rules.append(rule)
                }
            }
        }
        let baseline = r.optional(map, "savings_baseline").map { savingsBaseline($0, r, targets: names, routes: routeNames) } ?? [:]
        return RoutingSettings(targets: targets, routes: routes, budgetRules: rules, savingsBaseline: baseline)
    }

    /// `savings_baseline: {chat: gpt4}`: each key a route, each value a target
    /// (any target, not only the route's own: "had it all gone to gpt4").
    static func savingsBaseline(_ value: ConfigValue, _ r: ConfigReader, targets: Set<String>, routes: Set<String>) -> [String: String] {
        guard let entries = r.mapping(value) else { return [:] }
        var baseline: [String: String] = [:]
        for entry in entries.entries {
            guard let target = r.nonEmptyString(entry.value) else { continue }
            if !routes.contains(entry.key) {
                r.fail(
                    at: entry.keyNode, path: entry.value.path,
                    "no route named '\(entry.key)' in routing.routes (\(routes.sorted().joined(separator: ", ")))")
            } else if !targets.contains(target) {
                r.fail(entry.value, "no target named '\(target)' in routing.targets (\(targets.sorted().joined(separator: ", ")))")
            } else {
                baseline[entry.key] = target
            }
        }
        return baseline
    }

    static func target(
        _ name: String, _ value: ConfigValue, _ r: ConfigReader, azureOpenAI: AzureOpenAISettings?,
        ollama: OllamaSettings?, aliases found: inout [(alias: String, target: String, value: ConfigValue)]
    )
        -> RouteTargetSettings?
    {
        guard let map = r.mapping(value, allowed: targetKeys)
        else { return nil }
        let backend = r.required(map, "backend").flatMap { r.choice($0, RouteTargetSettings.Backend.self) }
        let modelValue = r.required(map, "model")
        let model = modelValue.flatMap(r.nonEmptyString)
        let input = r.required(map, "cost_per_1k_input").flatMap { r.nonNegativeDecimal($0, example: "0.0079") }
        let output = r.required(map, "cost_per_1k_output").flatMap { r.nonNegativeDecimal($0, example: "0.0237") }
        var aliases: [String] = []
        if let value = r.optional(map, "aliases"), let items = r.sequence(value) {
            for item in items {
                guard let alias = r.nonEmptyString(item) else { continue }
                aliases.append(alias)
                found.append((alias, name, item))
            }
        }
        var contextWindow: Int?
        var contextWindowValid = true
        if let value = r.optional(map, "context_window") {
            contextWindow = r.int(value)
            if let tokens = contextWindow, tokens <= 0 {
                r.fail(value, "a context window is a positive number of tokens, found \(tokens)")
                contextWindow = nil
            }
            contextWindowValid = contextWindow != nil
        }
        let latencySLO = Self.latencySLO(map, r)
        if let backend, let model, let modelValue {
            // Whether the model reference is sound; if not, that is the one error
            // reported, not a missing context window as well.
            var modelKnown = true
            switch backend {
            case .azureOpenAI:
                if let azureOpenAI {
                    if azureOpenAI.deploymentNames[model] == nil {
                        r.fail(
                            modelValue,
                            "'\(model)' is not a key of azure_openai.deployment_names "
                                + "(\(azureOpenAI.deploymentNames.keys.sorted().joined(separator: ", ")))")
                        modelKnown = false
                    }
                } else {
                    // The endpoint, key and deployment all come from that section.
                    r.fail(modelValue, "an azure_openai target needs the azure_openai section (endpoint and deployment_names)")
                    modelKnown = false
                }
            case .ollama:
                if let ollama, !ollama.models.contains(model) {
                    r.fail(modelValue, "'\(model)' is not in ollama.models (\(ollama.models.joined(separator: ", ")))")
                    modelKnown = false
                }
            }
            let settings = RouteTargetSettings(name: name, backend: backend, model: model, inputCostPer1K: 0, outputCostPer1K: 0)
            let modelName = settings.modelName(azureOpenAI: azureOpenAI)
            if modelKnown, contextWindowValid, contextWindow == nil, modelName.flatMap(ModelContextWindows.tokens(for:)) == nil {
                r.failSection(
                    value,
                    "context_window is required: qlp knows no default for model '\(modelName ?? model)' "
                        + "(it knows \(ModelContextWindows.known.map(\.model).joined(separator: ", ")))")
            }
        }
        guard let backend, let model, let input, let output, contextWindowValid else { return nil }
        return RouteTargetSettings(
            name: name, backend: backend, model: model, inputCostPer1K: input, outputCostPer1K: output,
            aliases: aliases, contextWindow: contextWindow, latencySLO: latencySLO)
    }

    /// An optional `latency_slo` (a target's or a route's): a duration above zero.
    static func latencySLO(_ map: ConfigMapping, _ r: ConfigReader) -> Duration? {
        guard let value = r.optional(map, "latency_slo"), let duration = r.duration(value) else { return nil }
        guard duration > .zero else {
            r.fail(value, "a latency SLO is more than zero, such as 800ms")
            return nil
        }
        return duration
    }

    /// A name a client sends must mean one thing: an alias may not repeat a
    /// target's name, another alias, or a route's name (the route would win).
    static func checkAliases(
        _ aliases: [(alias: String, target: String, value: ConfigValue)], _ r: ConfigReader,
        targets: Set<String>, routes: Set<String>
    ) {
        var owner: [String: String] = [:]
        for entry in aliases {
            if targets.contains(entry.alias) {
                r.fail(entry.value, "'\(entry.alias)' is already the name of target '\(entry.alias)'")
            } else if routes.contains(entry.alias) {
                r.fail(entry.value, "'\(entry.alias)' is the name of a route; a request for it goes to the route")
            } else if let other = owner[entry.alias] {
                r.fail(
                    entry.value,
                    other == entry.target
                        ? "'\(entry.alias)' is listed twice"
                        : "'\(entry.alias)' already names target '\(other)'")
            } else {
                owner[entry.alias] = entry.target
            }
        }
    }

    static func route(_ name: String, _ value: ConfigValue, _ r: ConfigReader, targets: Set<String>) -> RouteSettings? {
        guard let map = r.mapping(value, allowed: routeKeys) else { return nil }
        let policy = r.optional(map, "policy").flatMap { r.choice($0, RouteSettings.Policy.self) } ?? .weighted
        var weights: [(target: String, weight: Int)] = []
        let weightsValue = r.required(map, "weights")
        if let weightsValue, let entries = r.mapping(weightsValue) {
            for entry in entries.entries {
                guard let weight = r.int(entry.value) else { continue }
                if !targets.contains(entry.key) {
                    r.fail(at: entry.keyNode, path: entry.value.path, "no target named '\(entry.key)' in routing.targets")
                } else if weight < 0 || weight > 100 {
                    r.fail(entry.value, "a weight is 0 to 100 percentage points, found \(weight)")
                } else {
                    weights.append((entry.key, weight))
                }
            }
            if policy == .weighted, !weights.isEmpty {
                let sum = weights.reduce(0) { $0 + $1.weight }
                if sum != 100 { r.fail(weightsValue, "weights of a weighted route sum to 100, these sum to \(sum)") }
            }
            if entries.entries.isEmpty { r.fail(weightsValue, "a route needs at least one target") }
        }
        var fallback: [String] = []
        if let value = r.optional(map, "fallback"), let items = r.sequence(value) {
            for item in items {
                guard let target = r.nonEmptyString(item) else { continue }
                if !targets.contains(target) {
                    r.fail(item, "no target named '\(target)' in routing.targets")
                } else {
                    fallback.append(target)
                }
            }
        }
        let latencySLO = Self.latencySLO(map, r)
        return RouteSettings(name: name, policy: policy, weights: weights, fallback: fallback, latencySLO: latencySLO)
    }

    static func budgetRule(
        _ name: String, _ value: ConfigValue, _ r: ConfigReader, targets: Set<String>, routes: Set<String>,
        budget: BudgetPlan?
    ) -> BudgetRuleSettings? {
        guard let map = r.mapping(value, allowed: budgetRuleKeys) else {
            return nil
        }
        var valid = true
        let categoryValue = r.required(map, "category")
        let category = categoryValue.flatMap(r.nonEmptyString)
        if let category, let categoryValue, let budget, !budget.allocations.contains(where: { $0.category.key == category }) {
            r.fail(
                categoryValue,
                "'\(category)' is not a key of budget.allocation "
                    + "(\(budget.allocations.map(\.category.key).joined(separator: ", ")))")
            valid = false
        }
        let percentValue = r.required(map, "at_percent")
        let percent = percentValue.flatMap { r.decimal($0, example: "95") }
        if let percent, let percentValue, percent <= 0 || percent > 200 {
            r.fail(percentValue, "at_percent is a share of the allocation above 0 and at most 200, found \(percent)")
            valid = false
        }
        let routeValue = r.required(map, "route")
        let route = routeValue.flatMap(r.nonEmptyString)
        if let route, let routeValue, !routes.contains(route) {
            r.fail(routeValue, "no route named '\(route)' in routing.routes (\(routes.sorted().joined(separator: ", ")))")
            valid = false
        }
        let sendToValue = r.required(map, "send_to")
        let sendTo = sendToValue.flatMap(r.nonEmptyString)
        if let sendTo, let sendToValue, !targets.contains(sendTo) {
            r.fail(sendToValue, "no target named '\(sendTo)' in routing.targets")
            valid = false
        }
        var except: [String] = []
        if let value = r.optional(map, "except_models"), let items = r.sequence(value) {
            for item in items {
                guard let target = r.nonEmptyString(item) else {
                    valid = false
                    continue
                }
                if targets.contains(target) {
                    except.append(target)
                } else {
                    r.fail(item, "no target named '\(target)' in routing.targets")
                    valid = false
                }
            }
        }
        guard valid, let category, let percent, let route, let sendTo else { return nil }
        return BudgetRuleSettings(
            name: name, category: category, atPercent: percent, route: route, sendTo: sendTo,
            exceptModels: except)
    }
}
