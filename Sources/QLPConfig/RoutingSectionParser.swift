import Foundation
import QLPCore

/// The `routing` section: targets and routes, cross-checked against each other
/// and against the model sections they name.
enum RoutingSectionParser {
    static func parse(_ section: ConfigValue, _ r: ConfigReader, azureOpenAI: AzureOpenAISettings?,
                      ollama: OllamaSettings?) -> RoutingSettings? {
        guard let map = r.mapping(section, allowed: ["targets", "routes"]) else { return nil }
        var targets: [RouteTargetSettings] = []
        // Every target named in the file, valid or not, so that one bad target is
        // reported once, not again as "no target named" by each route using it.
        var names: Set<String> = []
        if let value = r.required(map, "targets"), let entries = r.mapping(value) {
            for entry in entries.entries {
                names.insert(entry.key)
                if let target = target(entry.key, entry.value, r, azureOpenAI: azureOpenAI, ollama: ollama) {
                    targets.append(target)
                }
            }
        }
        var routes: [RouteSettings] = []
        if let value = r.required(map, "routes"), let entries = r.mapping(value) {
            for entry in entries.entries {
                if let route = route(entry.key, entry.value, r, targets: names) { routes.append(route) }
            }
        }
        return RoutingSettings(targets: targets, routes: routes)
    }

    static func target(_ name: String, _ value: ConfigValue, _ r: ConfigReader, azureOpenAI: AzureOpenAISettings?,
                       ollama: OllamaSettings?) -> RouteTargetSettings? {
        guard let map = r.mapping(value, allowed: ["backend", "model", "cost_per_1k_input", "cost_per_1k_output"])
        else { return nil }
        let backend = r.required(map, "backend").flatMap { r.choice($0, RouteTargetSettings.Backend.self) }
        let modelValue = r.required(map, "model")
        let model = modelValue.flatMap(r.nonEmptyString)
        let input = r.required(map, "cost_per_1k_input").flatMap { r.nonNegativeDecimal($0, example: "0.0079") }
        let output = r.required(map, "cost_per_1k_output").flatMap { r.nonNegativeDecimal($0, example: "0.0237") }
        if let backend, let model, let modelValue {
            switch backend {
            case .azureOpenAI:
                if let azureOpenAI, azureOpenAI.deploymentNames[model] == nil {
                    r.fail(modelValue, "'\(model)' is not a key of azure_openai.deployment_names "
                        + "(\(azureOpenAI.deploymentNames.keys.sorted().joined(separator: ", ")))")
                }
            case .ollama:
                if let ollama, !ollama.models.contains(model) {
                    r.fail(modelValue, "'\(model)' is not in ollama.models (\(ollama.models.joined(separator: ", ")))")
                }
            }
        }
        guard let backend, let model, let input, let output else { return nil }
        return RouteTargetSettings(name: name, backend: backend, model: model, inputCostPer1K: input, outputCostPer1K: output)
    }

    static func route(_ name: String, _ value: ConfigValue, _ r: ConfigReader, targets: Set<String>) -> RouteSettings? {
        guard let map = r.mapping(value, allowed: ["policy", "weights", "fallback"]) else { return nil }
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
        return RouteSettings(name: name, policy: policy, weights: weights, fallback: fallback)
    }
}
