import Foundation
import QLPCore

/// What the dashboard is looking at, for the header.
public struct DashboardIdentity: Sendable, Equatable {
    public var subscriptionID: String
    public var resourceGroup: String
    /// Running against the embedded emulator: the screen must say DEMO.
    public var isDemo: Bool
    public var configPath: String?
    public var logFile: String

    public init(subscriptionID: String, resourceGroup: String, isDemo: Bool, configPath: String?, logFile: String) {
        self.subscriptionID = subscriptionID
        self.resourceGroup = resourceGroup
        self.isDemo = isDemo
        self.configPath = configPath
        self.logFile = logFile
    }
}

/// Where the gateway running inside the dashboard listens, for the `?`
/// screen: what an application or `qlp routes` in another terminal needs.
public struct GatewayAddresses: Sendable, Equatable {
    /// The OpenAI-compatible endpoint's base URL.
    public var gateway: String
    /// The admin API's base URL; nil when it did not come up.
    public var admin: String?
    /// The demo's own admin token (random per run), shown so that it can be
    /// used; nil for `qlp dash`, whose token is the config's real secret.
    public var demoAdminToken: Secret?

    public init(gateway: String, admin: String?, demoAdminToken: Secret? = nil) {
        self.gateway = gateway
        self.admin = admin
        self.demoAdminToken = demoAdminToken
    }
}

/// The cost panel's value: the budget picture and where it came from.
public struct CostPanel: Sendable {
    public var overview: BudgetOverview
    public var costs: [DailyCost]
    /// HTTP pages the last fetch took (0 when from cache).
    public var pages: Int
    /// Each category's projections, computed once per fetch rather than on
    /// every frame the Budget view draws (a year of rows is milliseconds).
    public var outlook: BudgetOutlook?

    /// - Parameter plan: given, the outlook is computed now.
    public init(overview: BudgetOverview, costs: [DailyCost], pages: Int, plan: BudgetPlan? = nil) {
        self.overview = overview
        self.costs = costs
        self.pages = pages
        self.outlook = plan.map { BudgetOutlook(overview: overview, plan: $0, costs: costs) }
    }
}

/// A short message for the operator, such as where a report was written.
public struct Notice: Sendable, Equatable {
    public var text: String
    public var isError: Bool
    public var at: Date

    public init(text: String, isError: Bool = false, at: Date) {
        self.text = text
        self.isError = isError
        self.at = at
    }

    /// How long a notice stays on screen.
    public static let lifetime: TimeInterval = 15
}

/// Everything the views draw: one immutable snapshot per frame.
public struct DashboardState: Sendable {
    public var identity: DashboardIdentity
    public var plan: BudgetPlan
    public var cost: PanelData<CostPanel>
    /// Azure's own budgets and forecast.
    public var azureBudgets: PanelData<AzureBudgetPanel>
    /// Azure Monitor metrics.
    public var monitor: PanelData<MonitorPanel>
    /// MongoDB Atlas credits (only when the Atlas Admin API is configured).
    public var atlas: PanelData<AtlasCreditUse>
    public var atlasConfigured: Bool
    public var notice: Notice?
    /// How often cost data is fetched: data older than twice this raises an alert.
    public var costRefresh: Duration
    /// The live route table, its audit log and observed shares; nil value
    /// until the first fetch, and `routeControlConnected` false when this run
    /// has no route control (the gateway is not wired in).
    public var routing: PanelData<RoutingPanel>
    public var routeControlConnected: Bool
    /// Per-target gateway figures for the Models view.
    public var models: PanelData<[ModelTargetStats]>
    public var gatewayStatsConnected: Bool
    /// Alerts raised by the gateway (latency SLO, breakers, fallbacks, throttling, budget rules).
    public var externalAlerts: [ExternalAlert]
    /// Route changes are off (--read-only / dashboard.read_only).
    public var readOnly: Bool
    /// Who the audit log names for changes made here.
    public var operatorName: String
    /// The embedded gateway's addresses once it listens; nil without one.
    public var gatewayAddresses: GatewayAddresses? = nil

    public init(identity: DashboardIdentity, plan: BudgetPlan, costRefresh: Duration) {
        self.identity = identity
        self.plan = plan
        self.costRefresh = costRefresh
        self.routing = PanelData(staleAfter: .seconds(30))
        self.routeControlConnected = false
        self.models = PanelData(staleAfter: .seconds(30))
        self.gatewayStatsConnected = false
        self.externalAlerts = []
        self.readOnly = false
        self.operatorName = "operator"
        // Two missed refreshes make data stale.
        self.cost = PanelData(staleAfter: costRefresh * 2 + .seconds(60))
        self.azureBudgets = PanelData(staleAfter: costRefresh * 2 + .seconds(60))
        self.monitor = PanelData(staleAfter: .seconds(300))
        self.atlas = PanelData(staleAfter: costRefresh * 2 + .seconds(60))
        self.atlasConfigured = false
    }
}
