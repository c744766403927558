import Foundation
import QLPConfig
import QLPCore
import Testing

/// The routing section's newer keys: aliases, context_window, latency_slo and
/// budget_rules, each error naming file, line and key.
@Suite struct RoutingConfigTests {
    /// Appended to `ConfigFixture.base`; the comments are the indices `ConfigFixture.line` takes.
    static let lines = [
        "azure_openai:",  // 0
        "  endpoint: \"https://x.openai.azure.com/\"",  // 1
        "  api_version: \"2024-02-15-preview\"",  // 2
        "  models:",  // 3
        "    gpt4_turbo: \"gpt-4-turbo-preview\"",  // 4
        "    gpt35_turbo: \"gpt-35-turbo\"",  // 5
        "  deployment_names:",  // 6
        "    gpt4: \"gpt4-deployment\"",  // 7
        "    gpt35: \"gpt35-deployment\"",  // 8
        "ollama:",  // 9
        "  endpoint: \"http://127.0.0.1:11434\"",  // 10
        "  models: [\"llama3:8b\", \"phi3:mini\"]",  // 11
        "routing:",  // 12
        "  targets:",  // 13
        "    gpt4:",  // 14
        "      backend: azure_openai",  // 15
        "      model: gpt4",  // 16
        "      cost_per_1k_input: 0.0079",  // 17
        "      cost_per_1k_output: 0.0237",  // 18
        "      aliases: [\"gpt-4\", \"gpt-4-turbo\"]",  // 19
        "    llama3:",  // 20
        "      backend: ollama",  // 21
        "      model: \"llama3:8b\"",  // 22
        "      cost_per_1k_input: 0",  // 23
        "      cost_per_1k_output: 0",  // 24
        "    phi:",  // 25
        "      backend: ollama",  // 26
        "      model: \"phi3:mini\"",  // 27
        "      cost_per_1k_input: 0",  // 28
        "      cost_per_1k_output: 0",  // 29
        "      context_window: 4096",  // 30
        "  routes:",  // 31
        "    chat:",  // 32
        "      policy: cost",  // 33
        "      latency_slo: 800ms",  // 34
        "      weights: {gpt4: 50, llama3: 50}",  // 35
        "      fallback: [phi]",  // 36
        "  budget_rules:",  // 37
        "    openai_over_95:",  // 38
        "      category: azure_openai",  // 39
        "      at_percent: 95",  // 40
        "      route: chat",  // 41
        "      send_to: llama3",  // 42
        "      except_models: [gpt4]",  // 43
    ]

    static func with(_ changes: [Int: [String]]) -> [String] {
        var out: [String] = []
        for (index, line) in lines.enumerated() { out += changes[index] ?? [line] }
        return out
    }

    @Test func newKeysParse() throws {
        let config = try ConfigFixture.outcome(Self.lines).get()
        let routing = try #require(config.routing)
        #expect(routing.targets[0].aliases == ["gpt-4", "gpt-4-turbo"])
        #expect(routing.targets[0].contextWindow == nil)
        #expect(routing.targets[2].contextWindow == 4096)
        #expect(routing.routes[0].latencySLO == .milliseconds(800))
        #expect(routing.routes[0].policy == .cost)
        #expect(
            routing.budgetRules == [
                BudgetRuleSettings(
                    name: "openai_over_95", category: "azure_openai", atPercent: 95,
                    route: "chat", sendTo: "llama3", exceptModels: ["gpt4"])
            ])
        #expect(routing.targets[0].modelName(azureOpenAI: config.azureOpenAI) == "gpt-4-turbo-preview")
        #expect(ModelContextWindows.tokens(for: "gpt-4-turbo-preview") == 128_000)
        #expect(ModelContextWindows.tokens(for: "llama3:8b") == 8_192)
        #expect(ModelContextWindows.tokens(for: "phi3:mini") == nil)
    }

    @Test func exampleConfigHasAliasesAndTheBudgetRule() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/qlp.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let config = try ConfigParser(environment: ["HOME": "/home/tester"], requireAzure: false).parse(yaml: text, file: "qlp.yaml")
        let routing = try #require(config.routing)
        #expect(routing.targets.first { $0.name == "gpt4" }?.aliases == ["gpt-4", "gpt-4-turbo"])
        #expect(routing.targets.first { $0.name == "gpt35" }?.aliases == ["gpt-3.5-turbo", "gpt-35-turbo"])
        #expect(routing.budgetRules.map(\.name) == ["openai_over_95"])
        #expect(routing.budgetRules.first?.exceptModels == ["gpt4"])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var changes: [Int: [String]]
        /// Index, in the edited lines, of the line the error must name.
        var line: Int
        var key: String
        var words: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "alias not a list", changes: [19: ["      aliases: gpt-4"]], line: 19,
            key: "routing.targets.gpt4.aliases", words: ["list"]),
        Case(
            name: "alias taken by another target", changes: [30: ["      context_window: 4096", "      aliases: [\"gpt-4\"]"]],
            line: 31, key: "routing.targets.phi.aliases.[0]", words: ["'gpt-4'", "already names target 'gpt4'"]),
        Case(
            name: "alias is a target name", changes: [19: ["      aliases: [llama3]"]], line: 19,
            key: "routing.targets.gpt4.aliases.[0]", words: ["'llama3'", "target"]),
        Case(
            name: "alias is a route name", changes: [19: ["      aliases: [chat]"]], line: 19,
            key: "routing.targets.gpt4.aliases.[0]", words: ["'chat'", "route"]),
        Case(
            name: "context window not positive", changes: [30: ["      context_window: 0"]], line: 30,
            key: "routing.targets.phi.context_window", words: ["positive", "0"]),
        Case(
            name: "context window not a number", changes: [30: ["      context_window: big"]], line: 30,
            key: "routing.targets.phi.context_window", words: ["whole number", "big"]),
        Case(
            name: "context window required for an unknown model", changes: [30: []], line: 25,
            key: "routing.targets.phi", words: ["context_window is required", "phi3:mini"]),
        Case(
            name: "latency slo not a duration", changes: [34: ["      latency_slo: fast"]], line: 34,
            key: "routing.routes.chat.latency_slo", words: ["duration", "fast"]),
        Case(
            name: "latency slo zero", changes: [34: ["      latency_slo: 0ms"]], line: 34,
            key: "routing.routes.chat.latency_slo", words: ["more than zero"]),
        Case(
            name: "rule category not an allocation", changes: [39: ["      category: openai"]], line: 39,
            key: "routing.budget_rules.openai_over_95.category", words: ["'openai'", "budget.allocation", "azure_openai"]),
        Case(
            name: "rule percent zero", changes: [40: ["      at_percent: 0"]], line: 40,
            key: "routing.budget_rules.openai_over_95.at_percent", words: ["above 0", "200"]),
        Case(
            name: "rule percent too high", changes: [40: ["      at_percent: 250"]], line: 40,
            key: "routing.budget_rules.openai_over_95.at_percent", words: ["250"]),
        Case(
            name: "rule percent a word", changes: [40: ["      at_percent: most"]], line: 40,
            key: "routing.budget_rules.openai_over_95.at_percent", words: ["plain number", "most"]),
        Case(
            name: "rule route unknown", changes: [41: ["      route: chats"]], line: 41,
            key: "routing.budget_rules.openai_over_95.route", words: ["no route named 'chats'", "chat"]),
        Case(
            name: "rule target unknown", changes: [42: ["      send_to: llama4"]], line: 42,
            key: "routing.budget_rules.openai_over_95.send_to", words: ["no target named 'llama4'"]),
        Case(
            name: "rule exemption unknown", changes: [43: ["      except_models: [gpt4, gpt5]"]], line: 43,
            key: "routing.budget_rules.openai_over_95.except_models.[1]", words: ["no target named 'gpt5'"]),
        Case(
            name: "rule key missing", changes: [42: []], line: 38,
            key: "routing.budget_rules.openai_over_95.send_to", words: ["required key is missing"]),
        Case(
            name: "rule key unknown", changes: [43: ["      except: [gpt4]"]], line: 43,
            key: "routing.budget_rules.openai_over_95.except", words: ["unknown key", "except_models"]),
        Case(
            name: "azure target without the azure_openai section", changes: Dictionary(uniqueKeysWithValues: (0...8).map { ($0, []) }),
            line: 7, key: "routing.targets.gpt4.model", words: ["azure_openai section"]),
    ]

    @Test(arguments: cases)
    func invalid(_ invalid: Case) throws {
        let found = ConfigFixture.errors(Self.with(invalid.changes))
        #expect(found.count == 1, "\(found)")
        let error = try #require(found.first { $0.key == invalid.key }, "no error for \(invalid.key) in \(found)")
        #expect(error.file == "azure.yaml")
        #expect(error.line == ConfigFixture.line(invalid.line), "\(error)")
        for word in invalid.words { #expect(error.message.contains(word), "\(error.message) lacks \(word)") }
    }
}
