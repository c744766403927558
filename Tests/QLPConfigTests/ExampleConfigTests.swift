import Foundation
import QLPConfig
import QLPCore
import Testing

private func d(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))! }
private func day(_ text: String) -> CivilDate { CivilDate(iso8601: text)! }

/// The repository's example config, found next to this test file.
private let examplePath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("config/qlp.yaml").path

private func exampleText() throws -> String { try String(contentsOfFile: examplePath, encoding: .utf8) }

private let fullEnvironment = [
    "AZURE_TENANT_ID": "tenant-0001",
    "AZURE_SUBSCRIPTION_ID": "sub-0002",
    "HOME": "/home/tester",
    "USER": "alice",
]

private func parseExample(_ environment: [String: String], requireAzure: Bool = true) throws -> QLPConfiguration {
    try ConfigParser(environment: environment, requireAzure: requireAzure).parse(yaml: try exampleText(), file: "config/qlp.yaml")
}

/// The 1-based line of the first line of `text` that starts with `prefix`.
private func lineNumber(of prefix: String, in text: String) -> Int? {
    text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix(prefix) }.map { $0 + 1 }
}

@Suite("The example config/qlp.yaml")
struct ExampleConfigTests {
    /// The commented azure.monitor example, uncommented, is a valid config.
    @Test func theMonitorExampleParsesWhenUncommented() throws {
        var lines = try exampleText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "  # monitor:"))
        var end = start
        while end < lines.count, lines[end].hasPrefix("  # ") { end += 1 }
        for i in start..<end { lines[i] = "  " + lines[i].dropFirst(4) }
        let yaml = lines.joined(separator: "\n")
        let config = try ConfigParser(
            environment: fullEnvironment.merging(["APPINSIGHTS_APP_ID": "app-1"]) { a, _ in a },
            requireAzure: true
        ).parse(yaml: yaml, file: "config/qlp.yaml")
        let monitor = try #require(config.azure?.monitor)
        #expect(monitor.region == "uksouth")
        #expect(monitor.discover)
        #expect(monitor.resources.map(\.name) == ["AKS", "Azure OpenAI"])
        #expect(monitor.resources[1].aggregation == "Total")
        #expect(monitor.resources[0].id.hasPrefix("/subscriptions/sub-0002/"))
        #expect(monitor.logMetrics.map(\.name) == ["ai_model_response_time", "projects_created_total"])
        #expect(monitor.logMetrics.allSatisfy { $0.source == .appInsights(appID: "app-1") && $0.grain == .seconds(900) })
    }

    @Test func azureSection() throws {
        let config = try parseExample(fullEnvironment)
        let azure = try #require(config.azure)
        #expect(azure.tenantID == "tenant-0001")
        #expect(azure.subscriptionID == "sub-0002")
        #expect(azure.resourceGroup == "quantumlayer-prod")
        #expect(azure.credential == .auto)
        #expect(azure.endpoints == .publicCloud)
        #expect(azure.costManagementAPIVersion == "2023-03-01")
        #expect(azure.costScope == "subscriptions/sub-0002")
    }

    @Test func budgetSection() throws {
        let budget = try parseExample(fullEnvironment).budget
        #expect(budget.currency == .gbp)
        #expect(budget.total == d("5000.00"))
        #expect(budget.creditPeriod == DayRange(day("2026-10-01"), day("2027-09-30")))
        #expect(budget.billingTimeZone == "Europe/London")
        #expect(
            budget.allocations.map(\.category)
                == [.compute, .azureOpenAI, .databasesStorage, .networkingSecurity, .monitoringDevOps])
        #expect(budget.allocations.map(\.amount) == [d("2000"), d("1500"), d("800"), d("400"), d("300")])
        #expect(
            budget.allocations.map(\.label)
                == ["Compute (AKS)", "Azure OpenAI", "Databases & Storage", "Networking & Security", "Monitoring & DevOps"])
        var sum = Decimal(0)
        for allocation in budget.allocations { sum += allocation.amount }
        #expect(sum == budget.total)
        #expect(budget.monthly == MonthlyBudget(amount: d("1000"), alertThresholds: [d("80"), d("95")]))
        #expect(budget.atlasCredits == CreditGrant(amount: d("500"), period: DayRange(day("2026-10-01"), day("2027-09-30"))!))
    }

    @Test(arguments: [
        ("Azure AI Services", CreditCategory.azureOpenAI),
        ("Cognitive Services", .azureOpenAI),
        ("Virtual Machine Scale Sets", .compute),
        ("virtual machine scale sets", .compute),
        ("Azure Kubernetes Service", .compute),
        ("Storage", .databasesStorage),
        ("Bandwidth", .networkingSecurity),
        ("Log Analytics", .monitoringDevOps),
    ])
    func serviceMapping(service: String, category: CreditCategory) throws {
        let map = try parseExample(fullEnvironment).budget.serviceMap
        #expect(map.category(for: service) == category)
    }

    @Test func modelSections() throws {
        let config = try parseExample(fullEnvironment)
        let openAI = try #require(config.azureOpenAI)
        #expect(openAI.endpoint == "https://quantumlayer-openai.openai.azure.com/")
        #expect(openAI.apiVersion == "2024-02-15-preview")
        #expect(openAI.apiKey == nil)  // "${AZURE_OPENAI_API_KEY:-}" with the variable unset
        #expect(openAI.models["gpt4_turbo"] == "gpt-4-turbo-preview")
        #expect(
            openAI.deploymentNames == [
                "gpt4": "gpt4-deployment", "gpt35": "gpt35-deployment",
                "embeddings": "embeddings-deployment",
            ])
        let ollama = try #require(config.ollama)
        #expect(ollama.models == ["llama3:8b", "codellama:13b", "mistral:7b"])
        #expect(ollama.fallbackToAzure)
        #expect(ollama.vpnConnection == "azure-to-local-vpn")
        let atlas = try #require(config.mongodbAtlas)
        #expect(atlas.connectionString == nil)
        #expect(atlas.databases["vectors"] == "qlp-vectors")
    }

    @Test func apiKeyFromTheEnvironment() throws {
        var environment = fullEnvironment
        environment["AZURE_OPENAI_API_KEY"] = "sk-test"
        let key = try #require(try parseExample(environment).azureOpenAI?.apiKey)
        #expect(key.reveal() == "sk-test")
    }

    @Test func routingSection() throws {
        let routing = try #require(try parseExample(fullEnvironment).routing)
        #expect(routing.targets.map(\.name) == ["gpt4", "gpt35", "embeddings", "llama3", "codellama", "mistral"])
        let gpt4 = try #require(routing.targets.first)
        #expect(
            gpt4
                == RouteTargetSettings(
                    name: "gpt4", backend: .azureOpenAI, model: "gpt4",
                    inputCostPer1K: d("0.0079"), outputCostPer1K: d("0.0237"),
                    aliases: ["gpt-4", "gpt-4-turbo"], latencySLO: .seconds(4)))
        #expect(
            routing.targets.map(\.latencySLO) == [
                .seconds(4), .milliseconds(1500), .milliseconds(250),
                .seconds(4), .seconds(6), .seconds(5),
            ])
        #expect(routing.targets[3].backend == .ollama)
        #expect(routing.targets[3].model == "llama3:8b")
        #expect(routing.routes.map(\.name) == ["chat", "code", "embeddings"])
        #expect(
            routing.routes[0]
                == RouteSettings(
                    name: "chat", policy: .weighted,
                    weights: [("gpt4", 40), ("gpt35", 40), ("llama3", 20)],
                    fallback: ["gpt35", "llama3", "mistral"]))
        #expect(routing.routes[1].weights.map(\.weight) == [30, 70])
        #expect(routing.routes[2].policy == .priority)
        #expect(routing.routes[2].fallback.isEmpty)
    }

    @Test func dashboardSection() throws {
        let dashboard = try parseExample(fullEnvironment).dashboard
        #expect(
            dashboard
                == DashboardSettings(
                    costRefresh: .seconds(30 * 60), requestTimeout: .seconds(30), operatorName: "alice", colorEnabled: true,
                    logFile: "/home/tester/.local/state/qlp/qlp.log", stateDirectory: "/home/tester/.local/state/qlp",
                    readOnly: false))
    }

    @Test func dashboardFollowsXDGStateHomeAndDefaultsTheOperator() throws {
        var environment = fullEnvironment
        environment["XDG_STATE_HOME"] = "/var/lib/state"
        environment["USER"] = nil
        let dashboard = try parseExample(environment).dashboard
        #expect(dashboard.logFile == "/var/lib/state/qlp/qlp.log")
        #expect(dashboard.stateDirectory == "/var/lib/state/qlp")
        #expect(dashboard.operatorName == "operator")
    }

    @Test func demoRunsWithoutAzureVariables() throws {
        let config = try parseExample(["HOME": "/home/tester", "USER": "alice"], requireAzure: false)
        #expect(config.azure == nil)
        #expect(config.budget.total == d("5000"))
    }

    @Test func missingSubscriptionIsNamedWithItsLine() throws {
        var environment = fullEnvironment
        environment["AZURE_SUBSCRIPTION_ID"] = nil
        let expectedLine = try #require(lineNumber(of: "  subscription_id:", in: try exampleText()))
        let error = #expect(throws: ConfigErrors.self) { try parseExample(environment) }
        let errors = try #require(error?.errors)
        #expect(errors.count == 1)
        let first = try #require(errors.first)
        #expect(first.file == "config/qlp.yaml")
        #expect(first.line == expectedLine)
        #expect(first.key == "azure.subscription_id")
        #expect(first.message.contains("AZURE_SUBSCRIPTION_ID"))
        #expect(error?.description.hasPrefix("config/qlp.yaml:\(expectedLine):") == true)
    }
}
