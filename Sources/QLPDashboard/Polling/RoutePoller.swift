import Foundation
import QLPFeed
import QLPStore

/// Keeps the Routing and Audit views' data: the live table, the audit log and
/// each route's observed shares, read through the `RouteControl`.
public struct RoutePoller: FeedPoller {
    public var control: any RouteControl
    public var store: DashboardStateStore
    public var interval: RefreshInterval
    public var wake: WakeSignal
    /// Audit lines kept on screen.
    public var auditLimit: Int

    public init(
        control: any RouteControl, store: DashboardStateStore, interval: RefreshInterval, wake: WakeSignal,
        auditLimit: Int = 200
    ) {
        self.control = control
        self.store = store
        self.interval = interval
        self.wake = wake
        self.auditLimit = auditLimit
    }

    public func run() async {
        store.update { $0.routeControlConnected = true }
        while !Task.isCancelled {
            await refresh()
            await wake.wait(for: interval.current)
        }
    }

    public func refresh() async {
        let table = await control.table()
        // A log that cannot be read keeps the lines last read, marked so, rather than turning empty.
        let audit: [RouteAuditLine]
        var auditUnavailable: String?
        do {
            audit = try await control.audit(limit: auditLimit)
        } catch {
            audit = store.state.routing.value?.audit ?? []
            auditUnavailable = error.description
        }
        var traffic: [String: ObservedTraffic] = [:]
        for route in table.routes {
            traffic[route.name] = await control.observedTraffic(route: route.name)
        }
        let panel = RoutingPanel(table: table, traffic: traffic, audit: audit, auditUnavailable: auditUnavailable)
        let now = Date()
        let staleAfter = interval.current * 3 + .seconds(5)
        store.update {
            $0.routing.staleAfter = staleAfter
            $0.routing.succeed(panel, at: now)
        }
    }
}

extension ModelStatsPoller {
    /// Records each target's p50 and, for a source that keeps no series of
    /// its own, draws the sparkline from the stored one.
    public func withHistory(_ stats: [ModelTargetStats], now: Date) -> [ModelTargetStats] {
        guard let history else { return stats }
        var points: [String: SeriesPoint] = [:]
        for target in stats {
            if let p50 = target.p50Milliseconds { points["latency.p50.\(target.target)"] = SeriesPoint(at: now, value: p50) }
        }
        // A history that fails costs the chart its past, never the view.
        try? history.record(points, now: now)
        return stats.map { target in
            guard target.recentLatency.isEmpty,
                let stored = try? history.points("latency.p50.\(target.target)", since: now.addingTimeInterval(-window))
            else { return target }
            var filled = target
            filled.recentLatency = stored.map(\.value)
            return filled
        }
    }
}

/// Keeps the Models view's per-target figures.
public struct ModelStatsPoller: FeedPoller {
    public var source: any GatewayStatsSource
    public var store: DashboardStateStore
    public var interval: RefreshInterval
    public var wake: WakeSignal
    /// Each target's p50 latency over time, so the sparkline survives a restart.
    public var history: SQLiteSeriesHistory?
    /// How far back the sparkline reaches.
    public var window: TimeInterval

    public init(
        source: any GatewayStatsSource, store: DashboardStateStore, interval: RefreshInterval, wake: WakeSignal,
        history: SQLiteSeriesHistory? = nil, window: TimeInterval = 3600
    ) {
        self.history = history
        self.window = window
        self.source = source
        self.store = store
        self.interval = interval
        self.wake = wake
    }

    public func run() async {
        store.update { $0.gatewayStatsConnected = true }
        while !Task.isCancelled {
            let now = Date()
            let stats = withHistory(await source.targetStats(), now: now)
            let staleAfter = interval.current * 3 + .seconds(5)
            store.update {
                $0.models.staleAfter = staleAfter
                $0.models.succeed(stats, at: now)
            }
            await wake.wait(for: interval.current)
        }
    }
}
