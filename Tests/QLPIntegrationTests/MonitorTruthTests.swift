import Foundation
import QLPAzure
import QLPCanvas
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPHTTP
import Testing

@testable import QLPFeed

/// Issue 17: Monitor's LATEST is never a partial interval, and every value
/// says what it is (from the metric definitions' unit and the aggregation).
@Suite struct MonitorTruthTests {
    /// The harness's clock (17:42) is inside the 17:40 interval: that interval is partial.
    static let clock = EmulatorHarness.clock

    /// The emulated resources carrying `metric`, each with just that metric.
    static func resources(_ h: EmulatorHarness, _ metrics: [String]) -> [MonitorSettings.Resource] {
        let subscription = h.emulator.configuration.subscriptionID
        return h.emulator.configuration.resources.compactMap { resource in
            let names = resource.metrics.map(\.name).filter { metrics.contains($0) }
            guard !names.isEmpty else { return nil }
            return MonitorSettings.Resource(name: resource.name, id: resource.id(subscriptionID: subscription), metrics: names)
        }
    }

    static func poll(_ h: EmulatorHarness, _ metrics: [String], logMetrics: [MonitorSettings.LogMetric] = []) async throws -> DashboardState
    {
        let identity = DashboardIdentity(
            subscriptionID: h.emulator.configuration.subscriptionID, resourceGroup: "rg", isDemo: true,
            configPath: nil, logFile: "/dev/null")
        let store = DashboardStateStore(
            DashboardState(identity: identity, plan: try EmulatorHarness.examplePlan(), costRefresh: .seconds(60)))
        let client = MonitorMetricsClient(transport: h.transport, tokens: h.tokens, management: h.base)
        let reader = LogMetricReader(
            appInsights: AppInsightsClient(transport: h.transport, tokens: h.tokens, endpoint: h.base),
            logAnalytics: LogAnalyticsClient(transport: h.transport, tokens: h.tokens, endpoint: h.base))
        await MetricsPoller(
            client: client, resources: resources(h, metrics), logMetrics: logMetrics, logReader: reader, store: store,
            interval: .seconds(60), wake: WakeSignal(), clock: { clock }
        ).refresh()
        return store.state
    }

    static func monitorText(_ state: DashboardState, width: Int = 80, height: Int = 24) -> [String] {
        DashboardScreen(state: state, view: .monitor).render(
            size: Size(width: width, height: height),
            context: RenderContext(glyphs: .unicode, format: DisplayFormat(timeZone: TimeZone(identifier: "UTC")!), now: clock)
        ).lines
    }

    @Test func latestIsTheLastCompleteFiveMinutesNeverTheRunningOne() async throws {
        try await withHarness { h in
            let custom = MonitorSettings.LogMetric(
                name: "projects_created_total", source: .appInsights(appID: h.emulator.configuration.appInsightsAppID),
                query: "customMetrics | where name == 'projects_created_total' | project timestamp, value", unit: "Count",
                aggregation: .sum, grain: .seconds(900))
            let state = try await Self.poll(h, ["RequestCount", "CpuUsage", "connectedclients"], logMetrics: [custom])
            let rows = try #require(state.monitor.value?.rows)
            #expect(rows.count >= 4)
            for row in rows {
                let at = try #require(row.latestAt, "\(row.metric) has no latest value")
                // A 5-minute point stands for five minutes from its stamp; a logged sum for its 15-minute bucket.
                let span: TimeInterval = row.metric == "projects_created_total" ? 900 : 300
                #expect(
                    at.addingTimeInterval(span) <= Self.clock,
                    "\(row.resource) \(row.metric): LATEST is the interval from \(at), still running at \(Self.clock)")
            }
        }
    }

    @Test func everyMetricAt80x24HasAUnitAndAPerIntervalCountSaysItsInterval() async throws {
        try await withHarness { h in
            let state = try await Self.poll(
                h,
                [
                    "RequestCount", "TotalLatency", "CpuUsage", "NetworkBytesReceivedPerSecond",
                    "connectedclients", "usedmemorypercentage",
                ])
            let lines = Self.monitorText(state)
            func line(_ metric: String) throws -> String {
                try #require(lines.first { $0.contains(metric) }, "\(metric) not on screen:\n\(lines.joined(separator: "\n"))")
            }
            let screen = lines.joined(separator: "\n")
            // Summed per interval: the count says per what.
            #expect(try line("RequestCount").contains("/5min"), "\(screen)")
            // Azure says Count "in millicores": the definition's description names the unit.
            #expect(try line("CpuUsage").contains(" mc "), "\(screen)")
            // Azure says Bytes, the metric is per second.
            #expect(try line("NetworkBytesReceived").contains("B/s"), "\(screen)")
            #expect(try line("connectedclients").contains("count"), "\(screen)")
            #expect(try line("TotalLatency").contains("ms"), "\(screen)")
            #expect(try line("usedmemorypercentage").contains("%"), "\(screen)")
        }
    }
}
