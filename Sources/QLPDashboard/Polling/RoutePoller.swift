import Foundation

/// Keeps the Routing and Audit views' data: the live table, the audit log and
/// each route's observed shares, read through the `RouteControl`.
public struct RoutePoller: DashboardPoller {
    public var control: any RouteControl
    public var store: DashboardStateStore
    public var interval: RefreshInterval
    public var wake: WakeSignal
    /// Audit lines kept on screen.
    public var auditLimit: Int

    public init(control: any RouteControl, store: DashboardStateStore, interval: RefreshInterval, wake: WakeSignal,
                auditLimit: Int = 200) {
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
        let audit = await control.audit(limit: auditLimit)
        var observed: [String: [String: Double]] = [:]
        for route in table.routes {
            observed[route.name] = await control.observedShares(route: route.name)
        }
        let panel = RoutingPanel(table: table, observed: observed, audit: audit)
        let now = Date()
        let staleAfter = interval.current * 3 + .seconds(5)
        store.update {
            $0.routing.staleAfter = staleAfter
            $0.routing.succeed(panel, at: now)
        }
    }
}

/// Keeps the Models view's per-target figures.
public struct ModelStatsPoller: DashboardPoller {
    public var source: any GatewayStatsSource
    public var store: DashboardStateStore
    public var interval: RefreshInterval
    public var wake: WakeSignal

    public init(source: any GatewayStatsSource, store: DashboardStateStore, interval: RefreshInterval, wake: WakeSignal) {
        self.source = source
        self.store = store
        self.interval = interval
        self.wake = wake
    }

    public func run() async {
        store.update { $0.gatewayStatsConnected = true }
        while !Task.isCancelled {
            let stats = await source.targetStats()
            let now = Date()
            let staleAfter = interval.current * 3 + .seconds(5)
            store.update {
                $0.models.staleAfter = staleAfter
                $0.models.succeed(stats, at: now)
            }
            await wake.wait(for: interval.current)
        }
    }
}
