import Foundation
import QLPCore
import QLPFeed
import QLPGateway
import QLPRouting

/// Couples a gateway to the feed both ways: the spend read drives the budget
/// routing rules, and what the gateway raises (a budget rule in force, a route
/// over its latency SLO or leaning on its fallbacks, a throttling target, a
/// target down or slow, a route with no healthy target) is published as alerts.
/// The dashboard publishes them into its state; a headless gateway into its
/// alert watch.
public struct GatewayAlertFeed: FeedPoller {
    public let authority: RouteAuthority
    public let gateway: Gateway
    /// Where spend is read; nil when this process reads none (rules do not fire).
    public let feed: (any FeedStore)?
    /// Called with the gateway's alerts whenever they change.
    public let publish: @Sendable ([Alert]) -> Void
    public let wake = WakeSignal()
    public var interval: Duration = .seconds(2)

    public init(
        authority: RouteAuthority, gateway: Gateway, feed: (any FeedStore)?, interval: Duration = .seconds(2),
        publish: @escaping @Sendable ([Alert]) -> Void
    ) {
        self.authority = authority
        self.gateway = gateway
        self.feed = feed
        self.interval = interval
        self.publish = publish
    }

    public func run() async {
        var lastSpend: [String: Decimal] = [:]
        var lastAlerts: [Alert]?
        var traffic: [GatewayAlert] = []
        while !Task.isCancelled {
            if let overview = feed?.feed.cost.value?.overview {
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
            traffic = GatewayAlertRules.evaluate(
                gateway.traffic.figures(), latencySLOs: Self.latencySLOs(table), health: health,
                previous: traffic, now: Date())
            let alerts = await authority.ruleAlerts + traffic.map(\.alert)
            // Publishing redraws every operator's screen: only when something changed.
            if alerts != lastAlerts {
                lastAlerts = alerts
                publish(alerts)
            }
            await wake.wait(for: interval)
        }
    }

    /// Percent of each category's allocation spent, keyed by the config's category key.
    public static func percentSpent(_ overview: BudgetOverview) -> [String: Decimal] {
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
}
