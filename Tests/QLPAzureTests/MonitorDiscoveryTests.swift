import Foundation
import QLPAzure
import QLPCore
import QLPHTTP
import Testing

/// azure.monitor.discover: a resource group's listing in Azure's shape becomes
/// the Monitor view's metric plans.
@Suite struct MonitorDiscoveryTests {
    static let group = "/subscriptions/4f6a3c1e-0b7d-4c2e-9a55-3d1f0e8b7c21/resourceGroups/quantumlayer-prod/providers"

    func pages() throws -> [ResourceListPage] {
        try ["ListByResourceGroup-page1.json", "ListByResourceGroup-page2.json"].map {
            try MonitorDiscovery.page(FixtureFiles.bytes("arm-resources/2021-04-01/\($0)"))
        }
    }

    @Test func knownTypesGetTheirDefaultMetricsAndTheRestAreLeftOut() throws {
        let listed = try pages().flatMap(\.value)
        #expect(listed.count == 13)
        let plans = MonitorDiscovery.plans(listed)
        #expect(
            plans.map(\.name) == [
                "qlp-aks", "qlp-sql/quantumlayer", "qlp-redis", "qlp-frontdoor", "qlp-functions",
                "qlp-workers", "quantumlayer-openai", "qlp-functions (components)",
            ])
        #expect(
            plans.map(\.metrics) == [
                ["node_cpu_usage_percentage", "node_memory_working_set_percentage"], ["cpu_percent", "dtu_consumption_percent"],
                ["percentProcessorTime", "usedmemorypercentage"], ["RequestCount", "TotalLatency"], ["Requests", "Http5xx"],
                ["CpuUsage", "MemoryUsage"], ["ProcessedPromptTokens", "TotalErrors"], ["requests/failed", "requests/duration"],
            ])
        // Azure writes "Global" and "uksouth"; the batch API's host is the lower-cased region.
        #expect(plans[3].region == "global")
        #expect(plans[0].id == "\(Self.group)/Microsoft.ContainerService/managedClusters/qlp-aks")
        #expect(!plans.contains { $0.name.hasSuffix("/master") }, "the server's master database is not watched")
    }

    @Test func theFirstPageSaysWhereTheNextIs() throws {
        let first = try pages()[0]
        #expect(first.nextLink?.hasPrefix("https://management.azure.com/subscriptions/") == true)
        #expect(try pages()[1].nextLink == nil)
    }

    @Test func aConfiguredResourceKeepsItsMetricsAndComesFirst() throws {
        let discovered = MonitorDiscovery.plans(try pages().flatMap(\.value))
        let configured = [
            MonitorSettings.Resource(
                name: "Redis", id: "\(Self.group)/microsoft.cache/redis/QLP-REDIS",
                metrics: ["serverLoad"])
        ]
        let merged = MonitorDiscovery.merged(configured: configured, discovered: discovered)
        #expect(merged.first == configured[0])
        #expect(merged.filter { $0.id.lowercased().hasSuffix("/qlp-redis") }.count == 1, "same ID without case: the config's entry only")
        #expect(merged.count == discovered.count)
    }

    @Test func theClientFollowsNextLinkOnResourceManagerOnly() async throws {
        let bodies = try ["ListByResourceGroup-page1.json", "ListByResourceGroup-page2.json"].map {
            try FixtureFiles.bytes("arm-resources/2021-04-01/\($0)")
        }
        let transport = ScriptedTransport(bodies.map { HTTPResponse(status: 200, body: $0) })
        let client = MonitorMetricsClient(
            transport: transport, tokens: TokenCache(source: CountingTokenSource()),
            management: "https://management.azure.com")
        let listed = try await client.resources(subscriptionID: "4f6a3c1e-0b7d-4c2e-9a55-3d1f0e8b7c21", resourceGroup: "quantumlayer-prod")
        #expect(listed.count == 13)
        let urls = transport.requests.withLock { $0.map(\.url) }
        #expect(
            urls.first
                == "https://management.azure.com/subscriptions/4f6a3c1e-0b7d-4c2e-9a55-3d1f0e8b7c21/resourceGroups/quantumlayer-prod/resources?api-version=2021-04-01"
        )
        #expect(urls.count == 2 && urls[1].contains("skiptoken"))

        // A nextLink elsewhere would carry the Resource Manager token there: refused.
        let elsewhere = Array(#"{"value":[],"nextLink":"https://attacker.example/resources?page=2"}"#.utf8)
        let refusing = MonitorMetricsClient(
            transport: ScriptedTransport([HTTPResponse(status: 200, body: elsewhere)]),
            tokens: TokenCache(source: CountingTokenSource()), management: "https://management.azure.com")
        await #expect(throws: AzureError.self) {
            _ = try await refusing.resources(subscriptionID: "s", resourceGroup: "rg")
        }
    }
}
