import Foundation
import QLPAzure
import QLPCanvas
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPStore
import Testing

@testable import QLPFeed

/// Azure Monitor points kept across a restart: a dashboard run two hours
/// ago polls the emulator, the process ends, a new one opens the same file
/// and shows the kept points before its first fetch returns, then five hours
/// (Azure's three and the two kept before them) once it does.
@Suite struct MonitorHistoryRestartTests {
    @Test func aRestartedMonitorShowsKeptPointsAtOnceAndFiveHoursAfterItsFirstFetch() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qlp-monitor-history-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/series.sqlite"
        try await withHarness { h in
            let subscription = h.emulator.configuration.subscriptionID
            let resources = h.emulator.configuration.resources.prefix(2).map { resource in
                MonitorSettings.Resource(
                    name: resource.name, id: resource.id(subscriptionID: subscription),
                    metrics: resource.metrics.filter { $0.namespace == nil }.prefix(2).map(\.name))
            }
            let identity = DashboardIdentity(
                subscriptionID: subscription, resourceGroup: "rg", isDemo: true, configPath: nil, logFile: "/dev/null")
            let client = MonitorMetricsClient(transport: h.transport, tokens: h.tokens, management: h.base)
            func newStore() throws -> DashboardStateStore {
                DashboardStateStore(DashboardState(identity: identity, plan: try EmulatorHarness.examplePlan(), costRefresh: .seconds(60)))
            }
            func render(_ state: DashboardState) -> [String] {
                DashboardScreen(state: state, view: .monitor).render(
                    size: Size(width: 200, height: 50),
                    context: RenderContext(
                        glyphs: .unicode, format: DisplayFormat(timeZone: TimeZone(identifier: "UTC")!),
                        now: EmulatorHarness.clock)
                ).lines
            }
            func sparkRows(_ lines: [String]) -> Int { lines.filter { $0.contains { "▁▂▃▄▅▆▇█".contains($0) } }.count }

            // The first run, two hours ago.
            let earlier = EmulatorHarness.clock.addingTimeInterval(-2 * 3600)
            let firstRows: [MetricRow]
            do {
                let store = try newStore()
                let history = try SQLiteSeriesHistory(path: path, now: earlier)
                await MetricsPoller(
                    client: client, resources: Array(resources), store: store, interval: .seconds(60), wake: WakeSignal(),
                    clock: { earlier }, history: history
                ).refresh()
                firstRows = try #require(store.state.monitor.value).rows
                #expect(firstRows.count == 4 && firstRows.allSatisfy { $0.failure == nil && $0.series.count == 36 })
            }

            // A new process: a new state, the file reopened.
            let store = try newStore()
            let history = try SQLiteSeriesHistory(path: path, now: EmulatorHarness.clock)
            let poller = MetricsPoller(
                client: client, resources: Array(resources), store: store, interval: .seconds(60), wake: WakeSignal(),
                clock: { EmulatorHarness.clock }, history: history)
            poller.loadHistory()
            #expect(store.state.monitor.source == .cache)
            let cached = try #require(store.state.monitor.value).rows
            #expect(cached.map(\.metric) == resources.flatMap(\.metrics))
            #expect(cached.map(\.unit) == firstRows.map(\.unit))
            for (kept, first) in zip(cached, firstRows) {
                // The kept points, then the two hours the dashboard was off as a gap up to now.
                #expect(kept.series.count == 60)
                #expect(Array(kept.series.prefix(36)) == first.series)
                #expect(kept.series.suffix(24).allSatisfy { $0 == nil })
                #expect(kept.latest == first.latest && kept.latestAt == first.latestAt)
            }
            let before = render(store.state)
            #expect(before.joined(separator: "\n").contains("STALE: kept from an earlier run"), "\(before.joined(separator: "\n"))")
            #expect(before.contains { $0.contains("LAST 5 HOURS") })
            #expect(sparkRows(before) == 4)

            // The first fetch: Azure's three hours, and the two kept before them.
            await poller.refresh()
            #expect(store.state.monitor.source == .live)
            let rows = try #require(store.state.monitor.value).rows
            for (row, first) in zip(rows, firstRows) {
                #expect(row.series.count == 60)
                #expect(Array(row.series.prefix(12)) == Array(first.series.prefix(12)))
            }
            let after = render(store.state).joined(separator: "\n")
            #expect(after.contains("LAST 5 HOURS") && after.contains("kept from earlier fetches"), "\(after)")
            #expect(rows.allSatisfy { !$0.fromHistory })

            // Azure Monitor fails: the kept points stay, marked, under the failure.
            h.emulator.faults.set(EndpointFault(status: 503), for: .metrics)
            defer { h.emulator.faults.clearAll() }
            let third = try newStore()
            let restarted = MetricsPoller(
                client: client, resources: Array(resources), store: third, interval: .seconds(60), wake: WakeSignal(),
                clock: { EmulatorHarness.clock }, history: try SQLiteSeriesHistory(path: path, now: EmulatorHarness.clock))
            await restarted.refresh()
            #expect(third.state.monitor.problem?.summary.contains("503") == true)
            let kept = try #require(third.state.monitor.value).rows
            #expect(kept.count == 4 && kept.allSatisfy { $0.fromHistory && $0.failure == nil && $0.series.count == 60 })
            #expect(zip(kept, rows).allSatisfy { $0.series == $1.series })
            let failing = render(third.state)
            #expect(failing.joined(separator: "\n").contains("STALE: HTTP 503"), "\(failing.joined(separator: "\n"))")
            #expect(sparkRows(failing) == 4)
        }
    }
}
