import Foundation
import Logging
import QLPStore

/// Keeps the budget's headline figures over time (month-to-date spend,
/// credit used) in the series history: one row per cost fetch, at most one
/// every `HistoryRetention.costFigureSpacing`. It reads what the cost poller
/// put in the state, from its own task, so neither the poller nor the render
/// path waits on the disk. No view draws these rows yet; they are kept so a
/// chart of the budget over time has its past when one is added.
public struct CostFiguresRecorder: FeedPoller {
    public var store: any FeedStore
    public var history: SQLiteSeriesHistory
    public var scope: String
    /// How often the state is looked at; a fetch is recorded within this.
    public var interval: Duration
    public var wake: WakeSignal
    public var logger: Logger

    public init(
        store: any FeedStore, history: SQLiteSeriesHistory, scope: String, interval: Duration = .seconds(10),
        wake: WakeSignal = WakeSignal(), logger: Logger = Logger(label: "qlp.history.cost")
    ) {
        self.store = store
        self.history = history
        self.scope = scope
        self.interval = interval
        self.wake = wake
        self.logger = logger
    }

    public func run() async {
        while !Task.isCancelled {
            recordLatest()
            _ = await wake.wait(for: interval)
        }
    }

    /// Records the figures of the last live cost fetch, if due.
    /// - Returns: whether a row was written.
    @discardableResult
    public func recordLatest() -> Bool {
        let panel = store.feed.cost
        // Figures loaded from the cache at start-up were kept when they were fetched.
        guard panel.source == .live, let value = panel.value, let at = panel.updatedAt else { return false }
        let overview = value.overview
        let figures = CostFigures(
            scope: scope, at: at, month: overview.monthly.month, monthToDate: overview.monthly.spentToDate,
            creditUsed: overview.credit.spent, currency: overview.currency)
        do {
            return try history.recordCostFigures(figures)
        } catch {
            logger.error("cannot keep cost figures", metadata: ["error": "\(error)"])
            return false
        }
    }
}
