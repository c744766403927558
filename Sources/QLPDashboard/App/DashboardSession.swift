import Foundation
import Logging
import QLPTerminal

/// One run of the dashboard: the pollers in the background, the terminal loop
/// in front, and an orderly end (pollers cancelled, terminal restored) however
/// it stops.
public struct DashboardSession: Sendable {
    public var store: DashboardStateStore
    public var costPoller: CostPoller
    public var terminalOptions: TerminalOptions
    public var format: DisplayFormat
    public var logger: Logger

    public init(store: DashboardStateStore, costPoller: CostPoller, terminalOptions: TerminalOptions,
                format: DisplayFormat = DisplayFormat(), logger: Logger = Logger(label: "qlp.dashboard")) {
        self.store = store
        self.costPoller = costPoller
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
        let loop = TerminalLoop(store: store, options: terminalOptions, format: format, signals: signals) { action in
            if action == .refresh { wake.wake() }
        }
        let exit = try await loop.run()
        logger.info("dashboard stopped", metadata: ["exit": "\(exit)"])
        return exit
    }
}
