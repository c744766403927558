import Foundation
import QLPCore
import QLPFeed
import QLPStore

/// What the dashboard is looking at, for the header.
public struct DashboardIdentity: Sendable, Equatable {
    public var subscriptionID: String
    public var resourceGroup: String
    /// Running against the embedded emulator: the screen must say DEMO.
    public var isDemo: Bool
    public var configPath: String?
    public var logFile: String
    /// The replicas' admin endpoints when the dashboard is attached to a
    /// running fleet (`qlp dash --attach`); empty when it runs its own gateway or none.
    public var attachedTo: [String] = []

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
    /// What the pollers read from Azure and Atlas: the same feed a headless gateway reads.
    public var feed: FeedState
    public var notice: Notice?
    /// The live route table, its audit log and observed shares; nil value
    /// until the first fetch, and `routeControlConnected` false when this run
    /// has no route control (the gateway is not wired in).
    public var routing: PanelData<RoutingPanel>
    public var routeControlConnected: Bool
    /// Per-target gateway figures for the Models view.
    public var models: PanelData<[ModelTargetStats]>
    public var gatewayStatsConnected: Bool
    /// Each client key's limits and use, for the Keys view, from the gateway
    /// in this process; `keysConnected` false when none runs here (the view
    /// then says so: another process's keys are not this one's to show).
    public var keys = PanelData<[KeyActivity]>(staleAfter: .seconds(30))
    public var keysConnected = false
    /// Alerts raised by the gateway (latency SLO, breakers, fallbacks, throttling, budget rules).
    public var externalAlerts: [Alert] {
        didSet { externalAlertsPublished = true }
    }
    /// Whether the gateway has published its alerts once; until then they are unknown (a restart must not clear them).
    public private(set) var externalAlertsPublished = false
    /// A gateway runs in this process and will publish alerts.
    public var gatewayExpected = false
    /// Where each alert's latest notification stands, per sink, by alert key;
    /// `notificationsConfigured` false when no sink is (the Alerts view then has no DELIVERY column).
    public var alertDeliveries: [String: [SinkDelivery]] = [:]
    public var notificationsConfigured = false
    /// Route changes are off (--read-only / dashboard.read_only, or attached with a viewer token).
    public var readOnly: Bool
    /// Why, when it is not the flag or the config ("viewer token"); shown beside "read-only".
    public var readOnlyReason: String? = nil
    /// Who the audit log names for changes made here.
    public var operatorName: String
    /// The attached replicas as they last answered; nil when not attached (`qlp dash --attach`).
    public var fleet: [ReplicaStatus]? = nil
    /// The embedded gateway's addresses once it listens; nil without one.
    public var gatewayAddresses: GatewayAddresses? = nil

    public init(identity: DashboardIdentity, plan: BudgetPlan, costRefresh: Duration) {
        self.identity = identity
        self.feed = FeedState(plan: plan, costRefresh: costRefresh)
        self.routing = PanelData(staleAfter: .seconds(30))
        self.routeControlConnected = false
        self.models = PanelData(staleAfter: .seconds(30))
        self.gatewayStatsConnected = false
        self.externalAlerts = []
        self.readOnly = false
        self.operatorName = "operator"
    }

    // The feed's parts, read and written where they live (views and tests name them directly).
    public var plan: BudgetPlan {
        get { feed.plan }
        set { feed.plan = newValue }
    }
    public var costRefresh: Duration {
        get { feed.costRefresh }
        set { feed.costRefresh = newValue }
    }
    public var cost: PanelData<CostPanel> {
        get { feed.cost }
        set { feed.cost = newValue }
    }
    public var azureBudgets: PanelData<AzureBudgetPanel> {
        get { feed.azureBudgets }
        set { feed.azureBudgets = newValue }
    }
    public var monitor: PanelData<MonitorPanel> {
        get { feed.monitor }
        set { feed.monitor = newValue }
    }
    public var atlas: PanelData<AtlasCreditUse> {
        get { feed.atlas }
        set { feed.atlas = newValue }
    }
    public var atlasConfigured: Bool {
        get { feed.atlasConfigured }
        set { feed.atlasConfigured = newValue }
    }
}

extension AlertRules {
    /// The alerts this dashboard state implies: the feed's and what the gateway raised.
    public static func evaluate(_ state: DashboardState, now: Date) -> [Alert] {
        evaluate(state.feed, external: state.externalAlerts, now: now)
    }
}
