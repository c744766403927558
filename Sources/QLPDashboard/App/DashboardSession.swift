import Foundation
import Logging
import QLPAzure
import QLPTerminal

/// One run of the dashboard: the pollers in the background, the terminal loop
/// in front, and an orderly end (pollers cancelled, terminal restored) however
/// it stops.
public struct DashboardSession: Sendable {
    public var store: DashboardStateStore
    public var costPoller: CostPoller
    /// Further pollers (Azure budgets, metrics); the r key wakes them all.
    public var pollers: [any DashboardPoller]
    public var reportWriter: WeeklyReportWriter?
    public var terminalOptions: TerminalOptions
    public var format: DisplayFormat
    public var logger: Logger

    public init(store: DashboardStateStore, costPoller: CostPoller, pollers: [any DashboardPoller] = [],
                reportWriter: WeeklyReportWriter? = nil,
                terminalOptions: TerminalOptions, format: DisplayFormat = DisplayFormat(),
                logger: Logger = Logger(label: "qlp.dashboard")) {
        self.store = store
        self.costPoller = costPoller
        self.pollers = pollers
        self.reportWriter = reportWriter
        self.terminalOptions = terminalOptions
        self.format = format
        self.logger = logger
    }

    public func run() async throws -> DashboardExit {
        let signals = SignalWatcher()
        signals.start()
        defer { signals.stop() }
        let all: [any DashboardPoller] = [costPoller] + pollers
        let tasks = all.map { poller in Task { await poller.run() } }
        defer { tasks.forEach { $0.cancel() } }
        let wakes = all.map(\.wake)
        let store = self.store
        let writer = reportWriter
        let logger = self.logger
        let loop = TerminalLoop(store: store, options: terminalOptions, format: format, signals: signals) { action in
            switch action {
            case .refresh: wakes.forEach { $0.wake() }
            case .writeWeeklyReport: Self.writeReport(writer, store: store, logger: logger)
            default: break
            }
        }
        let exit = try await loop.run()
        logger.info("dashboard stopped", metadata: ["exit": "\(exit)"])
        return exit
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
