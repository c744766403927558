import Foundation
import QLPAzure
import QLPCanvas
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPHTTP
import Testing

/// The Monitor view's data: configured metrics polled from the emulator.
@Suite struct MetricsPollerTests {
    @Test func pollsEveryConfiguredMetricAndTheViewShowsThem() async throws {
        try await withHarness { h in
            let subscription = h.emulator.configuration.subscriptionID
            let resources = h.emulator.configuration.resources.prefix(4).map { resource in
                MonitorSettings.Resource(name: resource.name, id: resource.id(subscriptionID: subscription),
                                         metrics: resource.metrics.filter { $0.namespace == nil }.prefix(2).map(\.name))
            }
            // One resource that does not exist: it fails alone.
            let missing = MonitorSettings.Resource(
                name: "ghost", id: "/subscriptions/\(subscription)/resourceGroups/quantumlayer-prod/providers/Microsoft.Cache/Redis/ghost",
                metrics: ["serverLoad"])
            let identity = DashboardIdentity(subscriptionID: subscription, resourceGroup: "rg", isDemo: true, configPath: nil, logFile: "/dev/null")
            let store = DashboardStateStore(DashboardState(identity: identity, plan: try EmulatorHarness.examplePlan(), costRefresh: .seconds(60)))
            let client = MonitorMetricsClient(transport: h.transport, tokens: h.tokens, management: h.base)
            await MetricsPoller(client: client, resources: resources + [missing], store: store, interval: .seconds(60), wake: WakeSignal(),
                                clock: { EmulatorHarness.clock }).refresh()
            let panel = try #require(store.state.monitor.value)
            #expect(panel.rows.count == 8)
            #expect(panel.rows.allSatisfy { $0.failure == nil && $0.latest != nil && $0.series.count >= 30 })
            #expect(panel.failedResources.map(\.name) == ["ghost"])

            let canvas = DashboardScreen(state: store.state, view: .monitor).render(
                size: Size(width: 100, height: 30),
                context: RenderContext(glyphs: .unicode, format: DisplayFormat(timeZone: TimeZone(identifier: "UTC")!), now: EmulatorHarness.clock))
            let text = canvas.text
            #expect(text.contains("AZURE MONITOR"))
            for row in panel.rows { #expect(text.contains(row.metric)) }
            #expect(text.contains("failed: ghost"))
            // Every row that has data has a sparkline.
            let sparkRows = canvas.lines.filter { $0.contains { "▁▂▃▄▅▆▇█".contains($0) } }
            #expect(sparkRows.count == 8)
        }
    }
}
