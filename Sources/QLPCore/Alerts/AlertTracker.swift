import Foundation

/// Which alerts are open, since when, and what changed: fed the alerts that
/// hold now, it answers with the transitions to tell people about. A value
/// type driven by the caller's clock, so tests step time by hand.
public struct AlertTracker: Sendable, Equatable {
    public struct Open: Sendable, Equatable {
        public var alert: Alert
        public var raisedAt: Date
        /// When the last reminder (or the raising) went out.
        public var lastNotice: Date
        public var reminders: Int

        public init(alert: Alert, raisedAt: Date, lastNotice: Date, reminders: Int) {
            self.alert = alert
            self.raisedAt = raisedAt
            self.lastNotice = lastNotice
            self.reminders = reminders
        }
    }

    /// Open conditions by key.
    public private(set) var open: [String: Open] = [:]
    /// A critical alert still open this long after its last notice is told again; nil: never.
    public var reminderInterval: TimeInterval?

    public init(reminderInterval: TimeInterval? = nil, open: [Open] = []) {
        self.reminderInterval = reminderInterval
        for entry in open { self.open[entry.alert.key] = entry }
    }

    /// Merges the alerts that hold at `now`: one `raised` per new key, one
    /// `cleared` per key gone, a `reminder` per critical key due one, nothing
    /// for repeats. Raised come out most severe first.
    ///
    /// - Parameter covering: the sources whose data was there to evaluate
    ///   (nil: all). An open alert of a source not covered stays open: just
    ///   after a restart, before the first cost fetch, the budget alerts the
    ///   last run left open are unknown, not cleared.
    public mutating func update(_ current: [Alert], covering: Set<AlertSource>? = nil, now: Date) -> [AlertTransition] {
        var transitions: [AlertTransition] = []
        var seen: Set<String> = []
        for alert in current where seen.insert(alert.key).inserted {
            if var entry = open[alert.key] {
                entry.alert = alert
                if alert.severity == .critical, let interval = reminderInterval, interval > 0,
                    now.timeIntervalSince(entry.lastNotice) >= interval
                {
                    entry.reminders += 1
                    entry.lastNotice = now
                    transitions.append(
                        AlertTransition(
                            kind: .reminder, alert: alert, raisedAt: entry.raisedAt, at: now,
                            reminder: entry.reminders))
                }
                open[alert.key] = entry
            } else {
                let raisedAt = alert.at.map { min($0, now) } ?? now
                open[alert.key] = Open(alert: alert, raisedAt: raisedAt, lastNotice: now, reminders: 0)
                transitions.append(AlertTransition(kind: .raised, alert: alert, raisedAt: raisedAt, at: now))
            }
        }
        for (key, entry) in open where !seen.contains(key) && covering.map({ $0.contains(entry.alert.source) }) != false {
            open[key] = nil
            transitions.append(AlertTransition(kind: .cleared, alert: entry.alert, raisedAt: entry.raisedAt, clearedAt: now, at: now))
        }
        return transitions.sorted { a, b in
            if a.kind != b.kind { return a.kind == .raised }
            if a.alert.severity != b.alert.severity { return a.alert.severity > b.alert.severity }
            return a.alert.key < b.alert.key
        }
    }
}
