import Foundation
import QLPConfig
import QLPCore
import Testing

@Suite("Config: azure.monitor")
struct MonitorConfigTests {
    static let aks = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/qlp-aks"

    @Test func resourcesAndLoggedMetrics() throws {
        let config = try ConfigFixture.outcome([
            "  endpoints:",
            "    app_insights: https://api.applicationinsights.azure.cn/",
            "    metrics_batch: https://{region}.metrics.monitor.azure.cn",
            "  monitor:",
            "    interval: 2m",
            "    region: UKSouth",
            "    resources:",
            "      - {name: AKS, id: \(Self.aks), metrics: [node_cpu_usage_percentage]}",
            "      - {name: FD, id: \(Self.aks), metrics: [RequestCount], region: global}",
            "    log_metrics:",
            "      - name: ai_model_response_time",
            "        app_insights_app_id: 5b6c7d8e",
            "        query: customMetrics | where name == 'ai_model_response_time' | project timestamp, value",
            "        unit: MilliSeconds",
            "        grain: 15m",
            "      - name: ingested",
            "        log_analytics_workspace_id: 6c7d8e9f",
            "        query: Usage | project TimeGenerated, Quantity",
            "        aggregation: sum",
        ]).get()
        let monitor = try #require(config.azure?.monitor)
        #expect(monitor.interval == .seconds(120))
        #expect(
            monitor.resources == [
                .init(name: "AKS", id: Self.aks, metrics: ["node_cpu_usage_percentage"]),
                .init(name: "FD", id: Self.aks, metrics: ["RequestCount"], region: "global"),
            ])
        #expect(monitor.region == "uksouth")
        #expect(config.azure?.endpoints.metricsBatchURL(region: "uksouth") == "https://uksouth.metrics.monitor.azure.cn")
        #expect(
            monitor.logMetrics == [
                .init(
                    name: "ai_model_response_time", source: .appInsights(appID: "5b6c7d8e"),
                    query: "customMetrics | where name == 'ai_model_response_time' | project timestamp, value", unit: "MilliSeconds",
                    aggregation: .average, grain: .seconds(900)),
                .init(
                    name: "ingested", source: .logAnalytics(workspaceID: "6c7d8e9f"), query: "Usage | project TimeGenerated, Quantity",
                    unit: "", aggregation: .sum, grain: .seconds(300)),
            ])
        #expect(config.azure?.endpoints.appInsights == "https://api.applicationinsights.azure.cn")
        #expect(config.azure?.endpoints.logAnalytics == AzureEndpoints.publicLogAnalytics)
    }

    @Test func discoverIsOffUnlessSetAndNeedsNoResources() throws {
        let on = try ConfigFixture.outcome(["  monitor:", "    discover: true"]).get()
        #expect(on.azure?.monitor.discover == true)
        #expect(on.azure?.monitor.resources.isEmpty == true)
        #expect(on.azure?.monitor.isEmpty == false, "discovery alone is something to poll")
        let off = try ConfigFixture.outcome(["  monitor:", "    interval: 1m"]).get()
        #expect(off.azure?.monitor.discover == false)
        let bad = ConfigFixture.errors(["  monitor:", "    discover: sometimes"])
        #expect(bad.map(\.key) == ["azure.monitor.discover"], "\(bad)")
    }

    @Test func aLoggedMetricNeedsExactlyOneSource() {
        let neither = ConfigFixture.errors(["  monitor:", "    log_metrics:", "      - name: x", "        query: T | project t, v"])
        #expect(neither.count == 1)
        #expect(neither.first?.message.contains("app_insights_app_id' or 'log_analytics_workspace_id") == true)
        let both = ConfigFixture.errors([
            "  monitor:", "    log_metrics:", "      - name: x", "        query: T",
            "        app_insights_app_id: a", "        log_analytics_workspace_id: w",
        ])
        #expect(both.first?.message.contains("not both") == true)
    }

    @Test func badAggregationGrainAndResourceIDAreNamedWithTheirLines() {
        let found = ConfigFixture.errors([
            "  monitor:",  // 0
            "    resources:",  // 1
            "      - {name: AKS, id: qlp-aks, metrics: [cpu]}",  // 2
            "    log_metrics:",  // 3
            "      - name: x",  // 4
            "        app_insights_app_id: a",  // 5
            "        query: T | project t, v",  // 6
            "        aggregation: mean",  // 7
            "        grain: 7m",  // 8
        ])
        #expect(found.map(\.line) == [ConfigFixture.line(2), ConfigFixture.line(7), ConfigFixture.line(8)])
        #expect(found[0].message.contains("expected a resource ID"))
        #expect(found[1].message.contains("avg, sum, min, max, count") && found[1].message.contains("'mean'"))
        #expect(found[2].message.contains("multiple of 5m"))
    }

    @Test func aRegionIsANameNotADisplayName() {
        let found = ConfigFixture.errors(["  monitor:", "    region: UK South"])
        #expect(found.map(\.key) == ["azure.monitor.region"])
        #expect(found.first?.message.contains("such as uksouth") == true)
        let template = ConfigFixture.errors(["  endpoints:", "    metrics_batch: https://{vault}.metrics.monitor.azure.com"])
        #expect(template.first?.message.contains("{region}") == true)
    }

    @Test func aResourceTakesAnAggregationAndAFilter() throws {
        let config = try ConfigFixture.outcome([
            "  monitor:", "    resources:",
            "      - {name: AOAI, id: \(Self.aks), metrics: [ProcessedPromptTokens], aggregation: total, filter: \"ModelDeploymentName eq 'gpt4'\"}",
        ]).get()
        let resource = try #require(config.azure?.monitor.resources.first)
        #expect(resource.aggregation == "Total")
        #expect(resource.filter == "ModelDeploymentName eq 'gpt4'")
        let bad = ConfigFixture.errors([
            "  monitor:", "    resources:",
            "      - {name: A, id: \(Self.aks), metrics: [x], aggregation: p95}",
        ])
        #expect(bad.first?.message.contains("Average, Minimum, Maximum, Total, Count") == true)
    }
}
