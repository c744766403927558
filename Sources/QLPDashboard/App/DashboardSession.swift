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
    public var reportWriter: WeeklyReportWriter?
    public var terminalOptions: TerminalOptions
    public var format: DisplayFormat
    public var logger: Logger

    public init(store: DashboardStateStore, costPoller: CostPoller, reportWriter: WeeklyReportWriter? = nil,
                terminalOptions: TerminalOptions, format: DisplayFormat = DisplayFormat(),
                logger: Logger = Logger(label: "qlp.dashboard")) {
        self.store = store
        self.costPoller = costPoller
        self.reportWriter = reportWriter
        self.terminalOptions = terminalOptions
        self.format = format
        self.logger = logger
    }

    public func run() async throws -> DashboardExit {
        let signals = SignalWatcher()
        signals.start()
        defer { signals.stop() }
        let poller = Task { await costPoller.run() }
        defer { poller.cancel() }
        let wake = costPoller.wake
        let store = self.store
        let writer = reportWriter
        let logger = self.logger
        let loop = TerminalLoop(store: store, options: terminalOptions, format: format, signals: signals) { action in
            switch action {
            case .refresh: wake.wake()
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
                let path = try await writer.write(plan: store.state.plan)
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
