import Foundation
import QLPCore
import QLPDashboard
import QLPGateway
import QLPRouting

/// Couples the embedded gateway and the dashboard's state both ways: the
/// budget state drives the budget routing rules, and what the gateway raises
/// (a rule that fired, a route over its latency SLO or leaning on its
/// fallbacks, a throttling target, a target down or slow, a route with no
/// healthy target) shows in the dashboard's alerts.
struct GatewayDashboardFeed: DashboardPoller {
    let authority: RouteAuthority
    let gateway: Gateway
    let store: DashboardStateStore
    let wake = WakeSignal()
    var interval: Duration = .seconds(2)

    func run() async {
        var lastSpend: [String: Decimal] = [:]
        var lastAlerts: [ExternalAlert] = []
        var traffic: [GatewayAlert] = []
        while !Task.isCancelled {
            let (state, _) = store.snapshot()
            if let overview = state.cost.value?.overview {
                let spend = Self.percentSpent(overview)
                if spend != lastSpend {
                    lastSpend = spend
                    await authority.updateBudget(percentSpent: spend)
                }
            }
            // A target's breaker is one piece of its condition: an open breaker makes it down, and the
            // down alert stays while it is dead, where the breaker cycles open / half-open every few seconds.
            let table = gateway.routes.snapshot.table
            let health = HealthFigures(table: table) { target in
                gateway.health.condition(of: target.name, latencySLOMilliseconds: target.latencySLOMilliseconds.map(Double.init))
            }
            traffic = GatewayAlertRules.evaluate(gateway.traffic.figures(), latencySLOs: Self.latencySLOs(table), health: health,
                                                 previous: traffic, now: Date())
            let alerts = await Self.alerts(from: authority.alerts, traffic: traffic)
            // An update redraws the screen: only when something changed.
            if alerts != lastAlerts {
                lastAlerts = alerts
                store.update { $0.externalAlerts = alerts }
            }
            await wake.wait(for: interval)
        }
    }

    /// Percent of each category's allocation spent, keyed by the config's category key.
    static func percentSpent(_ overview: BudgetOverview) -> [String: Decimal] {
        var spend: [String: Decimal] = [:]
        for (category, position) in overview.categories where position.allocation > 0 {
            spend[category.key] = position.fractionUsed * 100
        }
        return spend
    }

    /// Each route's latency SLO in milliseconds, for the routes that have one.
    static func latencySLOs(_ table: RouteTable) -> [String: Int] {
        var slos: [String: Int] = [:]
        for route in table.routes {
            if let slo = route.latencySLOMilliseconds { slos[route.name] = slo }
        }
        return slos
    }

    /// Rule firings (the last 20) and what the traffic and health rules raised (`GatewayAlertRules`).
    static func alerts(from routing: [RoutingAlert], traffic: [GatewayAlert] = []) -> [ExternalAlert] {
        var alerts: [ExternalAlert] = routing.suffix(20).map { alert in
            let severity: AlertSeverity = switch alert.severity {
            case .info: .info
            case .warning: .warning
            case .critical: .critical
            }
            return ExternalAlert(kind: .budgetRuleFired, subject: "routing", severity: severity, text: alert.text, at: alert.at)
        }
        alerts += traffic.map(external)
        return alerts
    }

    static func external(_ alert: GatewayAlert) -> ExternalAlert {
        let kind: ExternalAlert.Kind = switch alert.kind {
        case .latencySLOBreach: .latencySLOBreach
        case .fallbackStorm: .fallbackStorm
        case .throttling: .throttling
        case .targetDown: .targetDown
        case .targetSlow: .targetSlow
        case .routeUnserved: .routeUnserved
        }
        let severity: AlertSeverity = switch alert.severity {
        case .warning: .warning
        case .critical: .critical
        }
        return ExternalAlert(kind: kind, subject: alert.subject, severity: severity, text: alert.text, at: alert.since)
    }
}
