import Foundation
import Logging
import QLPAzure
import QLPCore
import QLPFeed
import QLPProcess
import QLPRouting
import QLPStore
import QLPTerminal

/// One run of the dashboard: the pollers in the background, the terminal loop
/// in front, and an orderly end (pollers cancelled, terminal restored) however
/// it stops.
public struct DashboardSession: Sendable {
    public var store: DashboardStateStore
    public var costPoller: CostPoller
    /// Further pollers (Azure budgets, metrics); the r key wakes them all.
    public var pollers: [any FeedPoller]
    public var reportWriter: WeeklyReportWriter?
    public var terminalOptions: TerminalOptions
    public var format: DisplayFormat
    public var logger: Logger
    /// The live route table, when the gateway is wired in.
    public var routeControl: (any RouteControl)?
    /// Per-target gateway figures, when the gateway is wired in.
    public var gatewayStats: (any GatewayStatsSource)?
    /// The attached replicas' statuses (`qlp dash --attach`); nil when not attached.
    public var fleetStatus: (any FleetStatusSource)? = nil
    /// Each client key's limits and use, when the gateway runs in this
    /// process; nil: none does, and the Keys view says so.
    public var keyActivity: (@Sendable () -> [KeyActivity])?
    /// Where model latency series are kept across restarts.
    public var seriesHistory: SQLiteSeriesHistory?
    /// How often routes and model figures are fetched; `:refresh` changes it.
    public var liveRefresh: RefreshInterval
    /// The operator's side of the screen at start: read-only, bell, themes.
    public var interaction: DashboardInteraction
    /// Signals watched since before the session began. Signals must be watched
    /// before other threads (an embedded gateway's event loops) start, or a
    /// thread that does not block them takes and drops them.
    public var startedSignals: SignalWatcher?
    /// Where alerts and their acknowledgements are kept across restarts; nil: this run only.
    public var alertLedger: SQLiteAlertLedger?
    /// Reminders for critical alerts still open after this long; nil: none.
    public var alertReminderInterval: TimeInterval?
    /// Where each alert transition goes besides the history (the notifier).
    public var onAlertTransitions: (@Sendable ([AlertTransition]) async -> Void)?

    public init(
        store: DashboardStateStore, costPoller: CostPoller, pollers: [any FeedPoller] = [],
        reportWriter: WeeklyReportWriter? = nil,
        terminalOptions: TerminalOptions, format: DisplayFormat = DisplayFormat(),
        logger: Logger = Logger(label: "qlp.dashboard"),
        routeControl: (any RouteControl)? = nil, gatewayStats: (any GatewayStatsSource)? = nil,
        keyActivity: (@Sendable () -> [KeyActivity])? = nil,
        liveRefresh: RefreshInterval = RefreshInterval(.seconds(1)), seriesHistory: SQLiteSeriesHistory? = nil,
        interaction: DashboardInteraction = DashboardInteraction()
    ) {
        self.routeControl = routeControl
        self.gatewayStats = gatewayStats
        self.keyActivity = keyActivity
        self.liveRefresh = liveRefresh
        self.seriesHistory = seriesHistory
        self.interaction = interaction
        self.store = store
        self.costPoller = costPoller
        self.pollers = pollers
        self.reportWriter = reportWriter
        self.terminalOptions = terminalOptions
        self.format = format
        self.logger = logger
    }

    public func run() async throws -> DashboardExit {
        // A watcher the caller started early (before the threads of an embedded
        // gateway) is used as it is; otherwise the session starts its own.
        let signals: SignalWatcher
        if let started = startedSignals {
            signals = started
        } else {
            signals = SignalWatcher()
            signals.start()
        }
        defer { signals.stop() }
        var all: [any FeedPoller] = [costPoller] + pollers
        var routeWakeSignal: WakeSignal?
        if let routeControl {
            let poller = RoutePoller(control: routeControl, store: store, interval: liveRefresh, wake: WakeSignal())
            routeWakeSignal = poller.wake
            all.append(poller)
        }
        if let gatewayStats {
            all.append(
                ModelStatsPoller(
                    source: gatewayStats, store: store, interval: liveRefresh, wake: WakeSignal(),
                    history: seriesHistory))
        }
        if let fleetStatus {
            all.append(FleetPoller(source: fleetStatus, store: store, interval: liveRefresh, wake: WakeSignal()))
        }
        if let keyActivity {
            all.append(KeyActivityPoller(source: keyActivity, store: store, interval: liveRefresh, wake: WakeSignal()))
        }
        var interaction = self.interaction
        all.append(
            Self.alertWatch(
                store: store, ledger: alertLedger, reminderInterval: alertReminderInterval,
                onTransitions: onAlertTransitions, interaction: &interaction, logger: logger))
        let tasks = all.map { poller in Task { await poller.run() } }
        defer { for task in tasks { task.cancel() } }
        let wakes = all.map(\.wake)
        let store = self.store
        let writer = reportWriter
        let logger = self.logger
        let control = routeControl
        let routeWake = routeWakeSignal
        let liveRefresh = self.liveRefresh
        let ledger = alertLedger
        let loop = TerminalLoop(
            store: store, options: terminalOptions, format: format, signals: signals,
            interaction: interaction
        ) { effect in
            switch effect {
            case .refresh: for wake in wakes { wake.wake() }
            case .writeWeeklyReport: Self.writeReport(writer, store: store, logger: logger)
            case .applyRoute(let changes, let version):
                Self.applyRoute(changes, expectedVersion: version, control: control, store: store, wake: routeWake, logger: logger)
            case .undoRoute(let version):
                Self.undoRoute(expectedVersion: version, control: control, store: store, wake: routeWake, logger: logger)
            case .setRefreshInterval(let interval):
                liveRefresh.current = interval
                routeWake?.wake()
            case .acknowledgeAlerts(let keys):
                Self.acknowledge(keys, ledger: ledger, store: store, logger: logger)
            case .quit, .redraw, .setTheme: break
            }
        }
        let exit = try await loop.run()
        logger.info("dashboard stopped", metadata: ["exit": "\(exit)"])
        return exit
    }

    /// The watch that keeps the alert history and tells the notifier: it
    /// resumes from the conditions the last run left open, and the Alerts view
    /// starts from the kept history with its acknowledgements.
    static func alertWatch(
        store: DashboardStateStore, ledger: SQLiteAlertLedger?, reminderInterval: TimeInterval?,
        onTransitions: (@Sendable ([AlertTransition]) async -> Void)?, interaction: inout DashboardInteraction,
        logger: Logger
    ) -> AlertWatch {
        var tracker = AlertTracker(reminderInterval: reminderInterval)
        if let ledger {
            do {
                tracker = AlertTracker(reminderInterval: reminderInterval, resuming: try ledger.open())
                interaction.alerts = AlertBook(resuming: try ledger.recent())
            } catch {
                logger.error("alert history unreadable: starting afresh", metadata: ["error": "\(error)"])
            }
        }
        return AlertWatch(
            tracker: tracker,
            current: {
                let state = store.state
                // Without a gateway nothing raises gateway alerts: they are known (none) from the start.
                let gateway: Set<AlertSource> = state.externalAlertsPublished || !state.gatewayExpected ? [.gateway, .routing] : []
                return AlertEvaluation(
                    alerts: AlertRules.evaluate(state, now: Date()), covered: gateway.union(AlertRules.coverage(state.feed)))
            },
            deliver: { transitions in
                // Queued for sending before the history says they happened: a kill between the two
                // then sends a message twice (receivers drop it by its key) rather than never.
                await onTransitions?(transitions)
                do {
                    try ledger?.record(transitions)
                } catch {
                    logger.error("alerts not kept", metadata: ["error": "\(error)"])
                }
            })
    }

    /// Keeps the operator's acknowledgements with their name, off the terminal thread.
    static func acknowledge(_ keys: [String], ledger: SQLiteAlertLedger?, store: DashboardStateStore, logger: Logger) {
        guard let ledger else { return }
        let who = store.state.operatorName
        Task.detached {
            for key in keys {
                do {
                    try ledger.acknowledge(key: key, by: who, at: Date())
                } catch {
                    logger.error("acknowledgement not kept", metadata: ["key": "\(key)", "error": "\(error)"])
                }
            }
        }
    }

    /// Applies a confirmed draft as ONE change (a batch of its changes): one
    /// version, one audit entry, one notice, so it never lands half-applied
    /// and `u` undoes all of it. The outcome shows as a notice.
    static func applyRoute(
        _ changes: [RouteChange], expectedVersion: Int, control: (any RouteControl)?, store: DashboardStateStore,
        wake: WakeSignal?, logger: Logger
    ) {
        guard let control else { return }
        Task {
            let notice = await applyDraft(changes, expectedVersion: expectedVersion, control: control, logger: logger)
            store.update { $0.notice = notice }
            wake?.wake()
        }
    }

    /// The draft's changes applied through `control` as one change, and what to tell the operator.
    static func applyDraft(
        _ changes: [RouteChange], expectedVersion: Int, control: any RouteControl,
        logger: Logger = Logger(label: "qlp.dashboard")
    ) async -> Notice {
        switch await control.apply(.combining(changes), expectedVersion: expectedVersion, reason: "dashboard") {
        case .applied(let version, let summary):
            logger.info("route change applied", metadata: ["version": "\(version)", "summary": "\(summary)"])
            return Notice(text: "applied v\(version): \(summary)", at: Date())
        case .rejected(let message):
            logger.warning("route change rejected", metadata: ["message": "\(message)"])
            return Notice(text: "route change rejected: \(message)", isError: true, at: Date())
        }
    }

    static func undoRoute(
        expectedVersion: Int, control: (any RouteControl)?, store: DashboardStateStore, wake: WakeSignal?,
        logger: Logger
    ) {
        guard let control else { return }
        Task {
            let outcome = await control.undo(expectedVersion: expectedVersion)
            switch outcome {
            case .applied(let version, let summary):
                logger.info("route change undone", metadata: ["version": "\(version)", "summary": "\(summary)"])
                store.update { $0.notice = Notice(text: "undone, now v\(version): \(summary)", at: Date()) }
            case .rejected(let message):
                store.update { $0.notice = Notice(text: "undo rejected: \(message)", isError: true, at: Date()) }
            }
            wake?.wake()
        }
    }

    /// Writes the report in the background; the outcome shows as a notice.
    static func writeReport(_ writer: WeeklyReportWriter?, store: DashboardStateStore, logger: Logger) {
        guard let writer else {
            store.update { $0.notice = Notice(text: "reports need Cost Management access", isError: true, at: Date()) }
            return
        }
        store.update { $0.notice = Notice(text: "writing this week's report…", at: Date()) }
        Task {
            do {
                let state = store.state
                let path = try await writer.write(plan: state.plan, atlas: state.atlas.value)
                logger.info("weekly report written", metadata: ["path": "\(path)"])
                store.update { $0.notice = Notice(text: "report: \(path)", at: Date()) }
            } catch {
                logger.error("weekly report failed", metadata: ["error": "\(error)"])
                let summary = (error as? AzureError)?.summary ?? "\(error)"
                store.update { $0.notice = Notice(text: "report failed: \(summary)", isError: true, at: Date()) }
            }
        }
    }
}
