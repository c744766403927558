import Foundation
import QLPCore

/// Evaluates the alerts that hold every few seconds and hands each
/// transition (raised, cleared, reminder) on, once: what `qlp dash` and
/// `qlp gateway` run so that a condition reaches people with no screen open.
public struct AlertWatch: FeedPoller {
    /// The alerts that hold now, and the sources that could be judged.
    public let current: @Sendable () async -> AlertEvaluation
    /// Where transitions go (the alert history and the notifier).
    public let deliver: @Sendable ([AlertTransition]) async -> Void
    /// Where the watch starts: the conditions open when the last run stopped,
    /// so a restart neither raises them again nor forgets to clear them.
    public var tracker: AlertTracker
    public var interval: Duration
    public var clock: @Sendable () -> Date
    public let wake = WakeSignal()

    public init(
        tracker: AlertTracker = AlertTracker(), interval: Duration = .seconds(2),
        clock: @escaping @Sendable () -> Date = { Date() },
        current: @escaping @Sendable () async -> AlertEvaluation,
        deliver: @escaping @Sendable ([AlertTransition]) async -> Void
    ) {
        self.tracker = tracker
        self.interval = interval
        self.clock = clock
        self.current = current
        self.deliver = deliver
    }

    public func run() async {
        var tracker = self.tracker
        while !Task.isCancelled {
            let evaluation = await current()
            let transitions = tracker.update(evaluation.alerts, covering: evaluation.covered, now: clock())
            if !transitions.isEmpty { await deliver(transitions) }
            await wake.wait(for: interval)
        }
    }
}

/// What holds now, and what could be judged: a source whose data is not in
/// yet (no cost fetched since the start) cannot clear its alerts.
public struct AlertEvaluation: Sendable, Equatable {
    public var alerts: [Alert]
    public var covered: Set<AlertSource>

    public init(alerts: [Alert], covered: Set<AlertSource>) {
        self.alerts = alerts
        self.covered = covered
    }
}
