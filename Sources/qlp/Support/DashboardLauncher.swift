import Foundation
import Logging
import QLPAzure
import QLPCore
import QLPDashboard
import QLPFeed
import QLPGateway
import QLPHTTP
import QLPNotify
import QLPProcess
import QLPStore
import QLPTerminal

/// Builds the live dashboard from settings (shared by `qlp dash` and
/// `qlp demo`, which differ only in where Azure is and what config says).
struct DashboardLauncher {
    var plan: BudgetPlan
    var azure: AzureSettings
    var dashboard: DashboardSettings
    var isDemo: Bool
    var configPath: String?
    var historyPath: String?
    var colorsAllowed: Bool
    /// Azure's limits; the demo's emulator has no quota, so it lifts Cost Management's.
    var throttling: ThrottlingPolicy = .standard
    /// The Atlas Admin API, when configured.
    var atlas: AtlasAdminAPISettings?
    /// Why the configured Atlas key could not be had (its Key Vault reference
    /// failed): the panel says so instead of "not configured".
    var atlasUnavailable: PanelData<AtlasCreditUse>.Problem? = nil
    /// Where alerts are sent (`notifications:`); no sinks, none.
    var notifications = NotificationSettings()
    /// `--read-only`; `dashboard.read_only` turns it on too.
    var readOnlyFlag = false
    /// `--theme`, which overrides `dashboard.theme`.
    var themeChoice: String? = nil
    /// `--block-glyphs`; `dashboard.block_glyphs` turns it on too.
    var blockGlyphsFlag = false
    /// The gateway to run inside the dashboard, when the config has routes.
    var gateway: EmbeddedGateway? = nil
    /// The running replicas to operate instead (`qlp dash --attach`); then no gateway runs here.
    var fleet: AttachedFleet? = nil

    func run(credential: any TokenSource, transport: any HTTPTransport) async throws -> DashboardExit {
        let logger = Logger(label: "qlp.dashboard")
        let themes = try ShippedThemes.resolve(themeChoice ?? dashboard.theme)
        let tokens = TokenCache(source: credential)
        // Every Azure call shares one set of per-host limits.
        let azureTransport = ThrottlingTransport(wrapping: transport, policy: throttling)
        let client = CostManagementClient(
            transport: azureTransport, tokens: tokens, management: azure.endpoints.management,
            tokenScope: azure.endpoints.managementScope,
            apiVersion: azure.costManagementAPIVersion, timeout: dashboard.requestTimeout)
        var history: (any CostHistory)?
        var historyProblem: StoreError?
        if let historyPath {
            do {
                history = try SQLiteCostHistory(path: historyPath)
            } catch {
                // The dashboard still works without history; it just starts empty.
                logger.error("cost history unavailable", metadata: ["error": "\(error)"])
                historyProblem = error
            }
        }
        // Metrics, model latency and budget figures over time: one file, so the charts survive a restart.
        let seriesHistory = SQLiteSeriesHistory.openOrKeepInMemory(
            path: dashboard.stateDirectory + (isDemo ? "/demo-series.sqlite" : "/series.sqlite"))
        if let problem = seriesHistory.problem {
            logger.error("series history kept in memory only", metadata: ["error": "\(problem)"])
        }
        // Alerts raised, cleared and acknowledged: kept, so a restart neither forgets them nor raises them again.
        let alertLedgerPath = dashboard.stateDirectory + (isDemo ? "/demo-alerts.sqlite" : "/alerts.sqlite")
        var alertLedger: SQLiteAlertLedger?
        var alertLedgerProblem: StoreError?
        do {
            alertLedger = try SQLiteAlertLedger(path: alertLedgerPath)
        } catch {
            logger.error("alert history unavailable", metadata: ["error": "\(error)"])
            alertLedgerProblem = error
        }
        // Notifications: queued durably in the outbox before anything is sent, so a kill loses none.
        var dispatch: AlertDispatch?
        var dispatchProblem: StoreError?
        do {
            dispatch = try AlertDispatch.open(
                notifications, outboxPath: dashboard.stateDirectory + (isDemo ? "/demo-outbox.sqlite" : "/outbox.sqlite"),
                logger: Logger(label: "qlp.notify"))
        } catch {
            logger.error("notifications off: the outbox cannot be used", metadata: ["error": "\(error)"])
            dispatchProblem = error
        }
        var identity = DashboardIdentity(
            subscriptionID: azure.subscriptionID, resourceGroup: azure.resourceGroup,
            isDemo: isDemo, configPath: configPath, logFile: dashboard.logFile)
        identity.attachedTo = fleet?.clients.map(\.baseURL) ?? []
        var initial = DashboardState(identity: identity, plan: plan, costRefresh: dashboard.costRefresh)
        initial.readOnly = readOnlyFlag || dashboard.readOnly
        // Attached with the viewer token, the replicas refuse every change (403): the keys are hidden, and say why.
        if let fleet, case .success(let identity) = await fleet.first({ client throws(AdminAPIError) in try await client.whoami() }),
            identity.role == .viewer
        {
            initial.readOnly = true
            initial.readOnlyReason = "viewer token"
        }
        initial.operatorName = dashboard.operatorName
        if let dispatchProblem {
            initial.notice = Notice(
                text: "\(dispatchProblem.path) unusable: alerts are not sent (the log says why)", isError: true, at: Date())
        } else if let problem = seriesHistory.problem ?? historyProblem ?? alertLedgerProblem {
            // Said on screen once, naming the file; the charts work, they just start empty and are not kept.
            initial.notice = Notice(
                text: "\(problem.path) unusable: history kept in memory only (the log says why)", isError: true, at: Date())
        }
        let store = DashboardStateStore(initial)
        let poller = CostPoller(
            client: client, scope: azure.costScope, store: store, history: history,
            interval: dashboard.costRefresh, wake: WakeSignal())
        let budgets = BudgetsClient(
            transport: azureTransport, tokens: tokens, management: azure.endpoints.management,
            tokenScope: azure.endpoints.managementScope, timeout: dashboard.requestTimeout)
        let budgetPoller = AzureBudgetPoller(
            budgets: budgets, costs: client, scope: azure.costScope, store: store,
            interval: dashboard.costRefresh, wake: WakeSignal())
        let monitor = MonitorMetricsClient(
            transport: azureTransport, tokens: tokens, management: azure.endpoints.management,
            timeout: dashboard.requestTimeout)
        let logReader = LogMetricReader(
            appInsights: AppInsightsClient(
                transport: azureTransport, tokens: tokens, endpoint: azure.endpoints.appInsights,
                timeout: dashboard.requestTimeout),
            logAnalytics: LogAnalyticsClient(
                transport: azureTransport, tokens: tokens, endpoint: azure.endpoints.logAnalytics,
                timeout: dashboard.requestTimeout))
        let metricsPoller = MetricsPoller(
            client: monitor, resources: azure.monitor.resources, region: azure.monitor.region,
            endpoints: azure.endpoints, logMetrics: azure.monitor.logMetrics,
            logReader: logReader, store: store, interval: azure.monitor.interval, wake: WakeSignal(),
            history: seriesHistory,
            discovery: azure.monitor.discover
                ? MonitorDiscoveryScope(subscriptionID: azure.subscriptionID, resourceGroup: azure.resourceGroup)
                : nil)
        var pollers: [any FeedPoller] = [
            budgetPoller, metricsPoller,
            CostFiguresRecorder(store: store, history: seriesHistory, scope: azure.costScope),
        ]
        if let atlas {
            // Atlas is its own host, with its own limits (100 requests a minute): the same transport keeps them apart.
            let client = AtlasBillingClient(
                transport: azureTransport, baseURL: atlas.baseURL, orgID: atlas.orgID,
                publicKey: atlas.publicKey, privateKey: atlas.privateKey, timeout: dashboard.requestTimeout)
            pollers.append(AtlasPoller(client: client, store: store, interval: dashboard.costRefresh, wake: WakeSignal()))
            store.update { $0.atlasConfigured = true }
        } else if let atlasUnavailable {
            store.update {
                $0.atlasConfigured = true
                $0.atlas.problem = atlasUnavailable
            }
        }
        let options = TerminalOptions(
            colorsAllowed: colorsAllowed, theme: themes.initial, themes: themes.catalog,
            blockGlyphs: blockGlyphsFlag || dashboard.blockGlyphs)
        let writer = WeeklyReportWriter(
            source: CostManagementReportSource(client: client, scope: azure.costScope),
            directory: dashboard.stateDirectory + "/reports")
        logger.info("dashboard starting", metadata: ["demo": "\(isDemo)", "subscription": "\(azure.subscriptionID)"])
        var interaction = DashboardInteraction(readOnly: initial.readOnly, bellEnabled: dashboard.bell)
        if let reason = initial.readOnlyReason { interaction.readOnlyExplanation = "read-only: \(reason)" }
        // Watch SIGINT/SIGTERM/SIGHUP before the gateway's threads exist (see DashboardSession.startedSignals).
        let signals = SignalWatcher()
        signals.start()
        let running = fleet == nil ? await gateway?.start(store: store, operatorName: dashboard.operatorName, logger: logger) : nil
        if let running { pollers += running.pollers }
        if let fleet {
            store.update {
                $0.gatewayExpected = true
                $0.fleet = []
            }
            pollers.append(FleetAlertFeed(fleet: fleet) { alerts in store.update { $0.externalAlerts = alerts } })
        }
        let result: Result<DashboardExit, any Error>
        let sending = dispatch.map { dispatch in Task { await dispatch.run() } }
        defer { sending?.cancel() }
        do {
            var session = DashboardSession(
                store: store, costPoller: poller, pollers: pollers, reportWriter: writer,
                terminalOptions: options, logger: logger,
                routeControl: running?.routeControl ?? fleet.map(FleetRouteControl.init),
                gatewayStats: running?.stats ?? fleet.map { FleetStatsSource(fleet: $0) },
                keyActivity: running?.keyActivity,
                interaction: interaction)
            session.startedSignals = signals
            session.fleetStatus = fleet.map(FleetReplicaStatus.init)
            // Model latency over time, so the Models view's sparklines survive a restart.
            session.seriesHistory = seriesHistory
            session.alertLedger = alertLedger
            session.alertReminderInterval = notifications.reminderInterval.map { TimeInterval($0.components.seconds) }
            if let dispatch {
                session.onAlertTransitions = { await dispatch.submit($0) }
                session.pollers.append(AlertDeliveryPoller(outbox: dispatch.outbox, store: store))
            }
            result = .success(try await session.run())
        } catch {
            result = .failure(error)
        }
        await running?.stop()
        return try result.get()
    }

    /// NO_COLOR (no-color.org: set and not empty), --no-color and `color: never` all turn colour off.
    static func colorsAllowed(flag noColor: Bool, settings: DashboardSettings, environment: [String: String]) -> Bool {
        !noColor && settings.colorEnabled && (environment["NO_COLOR"] ?? "").isEmpty
    }
}
