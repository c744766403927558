import Foundation
import QLPCore
import QLPDashboard
import QLPGateway
import QLPRouting

/// Couples the embedded gateway and the dashboard's state both ways: the
/// budget state drives the budget routing rules, and what the gateway raises
/// (a rule that fired, a breaker that opened, a route over its latency SLO or
/// leaning on its fallbacks, a throttling target) shows in the dashboard's alerts.
struct GatewayDashboardFeed: DashboardPoller {
    let authority: RouteAuthority
    let gateway: Gateway
    let store: DashboardStateStore
    let wake = WakeSignal()
    var interval: Duration = .seconds(2)

    func run() async {
        var lastSpend: [String: Decimal] = [:]
        var lastAlerts: [ExternalAlert] = []
        var openSince: [String: Date] = [:]
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
            let open = gateway.health.states().filter { $0.breaker == .open }.map(\.target)
            openSince = Self.openSince(open, previous: openSince, now: Date())
            traffic = GatewayAlertRules.evaluate(gateway.traffic.figures(), latencySLOs: Self.latencySLOs(gateway.routes.snapshot.table),
                                                 previous: traffic, now: Date())
            let alerts = await Self.alerts(from: authority.alerts, openSince: openSince, traffic: traffic)
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

    /// When each target whose breaker is open now was first seen open, so an
    /// alert keeps its time while the breaker stays open.
    static func openSince(_ open: [String], previous: [String: Date], now: Date) -> [String: Date] {
        Dictionary(uniqueKeysWithValues: open.map { ($0, previous[$0] ?? now) })
    }

    /// Each route's latency SLO in milliseconds, for the routes that have one.
    static func latencySLOs(_ table: RouteTable) -> [String: Int] {
        var slos: [String: Int] = [:]
        for route in table.routes {
            if let slo = route.latencySLOMilliseconds { slos[route.name] = slo }
        }
        return slos
    }

    /// Rule firings (the last 20), targets whose breaker is open now, and what
    /// the traffic rules raised (`GatewayAlertRules`).
    static func alerts(from routing: [RoutingAlert], openSince: [String: Date], traffic: [GatewayAlert] = []) -> [ExternalAlert] {
        var alerts: [ExternalAlert] = routing.suffix(20).map { alert in
            let severity: AlertSeverity = switch alert.severity {
            case .info: .info
            case .warning: .warning
            case .critical: .critical
            }
            return ExternalAlert(kind: .budgetRuleFired, subject: "routing", severity: severity, text: alert.text, at: alert.at)
        }
        for (target, since) in openSince.sorted(by: { $0.key < $1.key }) {
            alerts.append(ExternalAlert(kind: .breakerOpen, subject: target, severity: .warning,
                                        text: "\(target): circuit breaker open, traffic goes to other targets", at: since))
        }
        alerts += traffic.map(external)
        return alerts
    }

    static func external(_ alert: GatewayAlert) -> ExternalAlert {
        let kind: ExternalAlert.Kind = switch alert.kind {
        case .latencySLOBreach: .latencySLOBreach
        case .fallbackStorm: .fallbackStorm
        case .throttling: .throttling
        }
        let severity: AlertSeverity = switch alert.severity {
        case .warning: .warning
        case .critical: .critical
        }
        return ExternalAlert(kind: kind, subject: alert.subject, severity: severity, text: alert.text, at: alert.since)
    }
}
