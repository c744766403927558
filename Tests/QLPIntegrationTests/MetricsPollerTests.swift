import Foundation
import QLPAzure
import QLPCanvas
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPHTTP
import Testing

@testable import QLPFeed

/// The Monitor view's data: configured metrics polled from the emulator.
@Suite struct MetricsPollerTests {
    @Test func pollsEveryConfiguredMetricAndTheViewShowsThem() async throws {
        try await withHarness { h in
            let subscription = h.emulator.configuration.subscriptionID
            let resources = h.emulator.configuration.resources.prefix(4).map { resource in
                MonitorSettings.Resource(
                    name: resource.name, id: resource.id(subscriptionID: subscription),
                    metrics: resource.metrics.filter { $0.namespace == nil }.prefix(2).map(\.name))
            }
            // One resource that does not exist: it fails alone.
            let missing = MonitorSettings.Resource(
                name: "ghost", id: "/subscriptions/\(subscription)/resourceGroups/quantumlayer-prod/providers/Microsoft.Cache/Redis/ghost",
                metrics: ["serverLoad"])
            let identity = DashboardIdentity(
                subscriptionID: subscription, resourceGroup: "rg", isDemo: true, configPath: nil, logFile: "/dev/null")
            let store = DashboardStateStore(
                DashboardState(identity: identity, plan: try EmulatorHarness.examplePlan(), costRefresh: .seconds(60)))
            let client = MonitorMetricsClient(transport: h.transport, tokens: h.tokens, management: h.base)
            await MetricsPoller(
                client: client, resources: resources + [missing], store: store, interval: .seconds(60), wake: WakeSignal(),
                clock: { EmulatorHarness.clock }
            ).refresh()
            let panel = try #require(store.state.monitor.value)
            #expect(panel.rows.count == 8)
            #expect(panel.rows.allSatisfy { $0.failure == nil && $0.latest != nil && $0.series.count >= 30 })
            #expect(panel.failedResources.map(\.name) == ["ghost"])

            let canvas = DashboardScreen(state: store.state, view: .monitor).render(
                size: Size(width: 100, height: 30),
                context: RenderContext(
                    glyphs: .unicode, format: DisplayFormat(timeZone: TimeZone(identifier: "UTC")!), now: EmulatorHarness.clock))
            let text = canvas.text
            #expect(text.contains("AZURE MONITOR"))
            for row in panel.rows { #expect(text.contains(row.metric)) }
            #expect(text.contains("failed: ghost"))
            // Every row that has data has a sparkline.
            let sparkRows = canvas.lines.filter { $0.contains { "▁▂▃▄▅▆▇█".contains($0) } }
            #expect(sparkRows.count == 8)
        }
    }

    /// Metrics that are logged rather than emitted: the same custom metric
    /// read through a log query and through Azure Monitor agrees, on the
    /// Monitor view's 5-minute grid; a bad query fails its own row only.
    @Test func loggedMetricsComeThroughTheirQueriesAndAgreeWithAzureMonitor() async throws {
        try await withHarness { h in
            let configuration = h.emulator.configuration
            let subscription = configuration.subscriptionID
            let appID = configuration.appInsightsAppID
            func logged(_ name: String, _ query: String, grain: Duration = .seconds(900)) -> MonitorSettings.LogMetric {
                MonitorSettings.LogMetric(name: name, source: .appInsights(appID: appID), query: query, unit: "MilliSeconds", grain: grain)
            }
            let metrics = [
                logged("ai_model_response_time", "customMetrics | where name == 'ai_model_response_time' | project timestamp, value"),
                MonitorSettings.LogMetric(
                    name: "request duration", source: .logAnalytics(workspaceID: configuration.logAnalyticsWorkspaceID),
                    query: "AppRequests | project TimeGenerated, DurationMs", grain: .seconds(600)),
                logged("no such table", "customMetricz | take 5"),
                logged("no time column", "customMetrics | project name, value"),
            ]
            let reader = LogMetricReader(
                appInsights: AppInsightsClient(transport: h.transport, tokens: h.tokens, endpoint: h.base),
                logAnalytics: LogAnalyticsClient(transport: h.transport, tokens: h.tokens, endpoint: h.base))
            let identity = DashboardIdentity(
                subscriptionID: subscription, resourceGroup: "rg", isDemo: true, configPath: nil, logFile: "/dev/null")
            let store = DashboardStateStore(
                DashboardState(identity: identity, plan: try EmulatorHarness.examplePlan(), costRefresh: .seconds(60)))
            let monitor = MonitorMetricsClient(transport: h.transport, tokens: h.tokens, management: h.base)
            await MetricsPoller(
                client: monitor, resources: [], logMetrics: metrics, logReader: reader, store: store, interval: .seconds(60),
                wake: WakeSignal(), clock: { EmulatorHarness.clock }
            ).refresh()
            let rows = try #require(store.state.monitor.value).rows
            #expect(rows.map(\.metric) == ["ai_model_response_time", "request duration", "no such table", "no time column"])
            #expect(rows.map(\.resource) == ["App Insights logs", "Log Analytics", "App Insights logs", "App Insights logs"])
            #expect(rows[0].series.count == 36 && rows[1].series.count == 36)
            #expect(rows[0].failure == nil && rows[1].failure == nil && rows[1].latest != nil)
            #expect(rows[2].failure?.contains("HTTP 400") == true)
            #expect(rows[3].failure?.contains("no datetime column") == true)

            // The latest value is the last complete 15 minutes: Azure Monitor's view of the same custom metric over that bucket.
            let insights = try #require(configuration.resources.first { $0.metrics.contains { $0.name == "ai_model_response_time" } })
            let complete = try #require(rows[0].latestAt)
            let latestAt = complete.addingTimeInterval(900)
            let fromMonitor = try await monitor.metrics(
                resourceID: insights.id(subscriptionID: subscription), names: ["ai_model_response_time"],
                aggregation: ["Average"], interval: "PT15M",
                timespan: (complete, latestAt), namespace: "azure.applicationinsights")
            let monitorValue = try #require(fromMonitor.metric("ai_model_response_time")?.timeseries.first?.data.first?.average)
            let logValue = try #require(rows[0].latest)
            #expect(abs(logValue - monitorValue) <= monitorValue * 0.005, "log \(logValue) vs monitor \(monitorValue)")
        }
    }

    /// With a region, resources of one type and metric list come in one batch
    /// call, and the rows are the same as one call per resource gives.
    @Test func resourcesInOneRegionAreReadInOneBatchCallWithTheSameRows() async throws {
        try await withHarness { h in
            let subscription = h.emulator.configuration.subscriptionID
            let groups = h.emulator.configuration.resources.filter { $0.type == "Microsoft.ContainerInstance/containerGroups" }
            #expect(groups.count >= 3)
            let resources = groups.map { resource in
                MonitorSettings.Resource(
                    name: resource.name, id: resource.id(subscriptionID: subscription),
                    metrics: ["CpuUsage", "MemoryUsage"])
            }
            let identity = DashboardIdentity(
                subscriptionID: subscription, resourceGroup: "rg", isDemo: true, configPath: nil, logFile: "/dev/null")
            let client = MonitorMetricsClient(transport: h.transport, tokens: h.tokens, management: h.base)
            func poll(region: String?) async throws -> [MetricRow] {
                let store = DashboardStateStore(
                    DashboardState(identity: identity, plan: try EmulatorHarness.examplePlan(), costRefresh: .seconds(60)))
                await MetricsPoller(
                    client: client, resources: resources, region: region,
                    endpoints: AzureEndpoints(authority: h.base, management: h.base, metricsBatch: h.base),
                    store: store, interval: .seconds(60), wake: WakeSignal(), clock: { EmulatorHarness.clock }
                ).refresh()
                return try #require(store.state.monitor.value).rows
            }
            let statistics = h.emulator.statistics
            let (singleBefore, batchBefore) = (statistics.requests(to: .metrics), statistics.requests(to: .metricsBatch))
            let oneByOne = try await poll(region: nil)
            #expect(statistics.requests(to: .metrics) - singleBefore == resources.count)
            let (singleMiddle, batchMiddle) = (statistics.requests(to: .metrics), statistics.requests(to: .metricsBatch))
            #expect(batchMiddle == batchBefore)
            let batched = try await poll(region: "uksouth")
            #expect(statistics.requests(to: .metricsBatch) - batchMiddle == 1)
            #expect(statistics.requests(to: .metrics) == singleMiddle)
            #expect(batched.count == resources.count * 2)
            #expect(batched.allSatisfy { $0.failure == nil && $0.latest != nil })
            #expect(batched == oneByOne)
        }
    }

    /// A resource's aggregation and dimension filter reach Azure Monitor and
    /// pick the values the view draws.
    @Test func aggregationAndDimensionFilterAreApplied() async throws {
        try await withHarness { h in
            let subscription = h.emulator.configuration.subscriptionID
            let insights = try #require(
                h.emulator.configuration.resources.first { $0.metrics.contains { $0.name == "ai_model_response_time" } })
            func resource(_ name: String, aggregation: String? = nil, filter: String? = nil) -> MonitorSettings.Resource {
                MonitorSettings.Resource(
                    name: name, id: insights.id(subscriptionID: subscription), metrics: ["ai_model_response_time"],
                    namespace: "azure.applicationinsights", aggregation: aggregation, filter: filter)
            }
            let resources = [
                resource("all"), resource("all max", aggregation: "Maximum"),
                resource("gpt-4", filter: "model eq 'gpt-4-turbo'"), resource("gpt-35", filter: "model eq 'gpt-35-turbo'"),
                resource("bad filter", filter: "model = gpt-4"),
            ]
            let identity = DashboardIdentity(
                subscriptionID: subscription, resourceGroup: "rg", isDemo: true, configPath: nil, logFile: "/dev/null")
            let store = DashboardStateStore(
                DashboardState(identity: identity, plan: try EmulatorHarness.examplePlan(), costRefresh: .seconds(60)))
            let client = MonitorMetricsClient(transport: h.transport, tokens: h.tokens, management: h.base)
            await MetricsPoller(
                client: client, resources: resources, store: store, interval: .seconds(60), wake: WakeSignal(),
                clock: { EmulatorHarness.clock }
            ).refresh()
            let panel = try #require(store.state.monitor.value)
            let latest = Dictionary(uniqueKeysWithValues: panel.rows.compactMap { row in row.latest.map { (row.resource, $0) } })
            let all = try #require(latest["all"])
            let max = try #require(latest["all max"])
            let gpt4 = try #require(latest["gpt-4"])
            let gpt35 = try #require(latest["gpt-35"])
            #expect(max > all)
            #expect(gpt4 > all && all > gpt35, "GPT-4 Turbo answers slower than the average, GPT-3.5 faster")
            #expect(panel.failedResources.map(\.name) == ["bad filter"])
            #expect(panel.failedResources.first?.reason.contains("400") == true)
        }
    }
}
