import Foundation
import QLPCore
import QLPDashboard
import QLPGateway
import QLPRouting

/// Couples the embedded gateway and the dashboard's state both ways: the
/// budget state drives the budget routing rules, and what the gateway raises
/// (a rule that fired, a breaker that opened) shows in the dashboard's alerts.
struct GatewayDashboardFeed: DashboardPoller {
    let authority: RouteAuthority
    let gateway: Gateway
    let store: DashboardStateStore
    let wake = WakeSignal()
    var interval: Duration = .seconds(2)

    func run() async {
        var lastSpend: [String: Decimal] = [:]
        while !Task.isCancelled {
            let (state, _) = store.snapshot()
            if let overview = state.cost.value?.overview {
                let spend = Self.percentSpent(overview)
                if spend != lastSpend {
                    lastSpend = spend
                    await authority.updateBudget(percentSpent: spend)
                }
            }
            let alerts = await Self.alerts(from: authority.alerts, health: gateway.health.states(), now: Date())
            store.update { $0.externalAlerts = alerts }
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

    /// Rule firings (newest state per rule) and targets whose breaker is open now.
    static func alerts(from routing: [RoutingAlert], health: [TargetHealthState], now: Date) -> [ExternalAlert] {
        var alerts: [ExternalAlert] = routing.suffix(20).map { alert in
            let severity: AlertSeverity = switch alert.severity {
            case .info: .info
            case .warning: .warning
            case .critical: .critical
            }
            return ExternalAlert(kind: .budgetRuleFired, subject: "routing", severity: severity, text: alert.text, at: alert.at)
        }
        for state in health where state.breaker == .open {
            alerts.append(ExternalAlert(kind: .breakerOpen, subject: state.target, severity: .warning,
                                        text: "\(state.target): circuit breaker open, traffic goes to other targets", at: now))
        }
        return alerts
    }
}
