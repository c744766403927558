import Foundation
import QLPCore
import QLPFeed
import QLPStore

/// The alerts seen during this run: when each first fired, whether it was
/// acknowledged, whether it has cleared. The terminal loop keeps one and feeds
/// it each frame's `AlertRules` result; the strip and the Alerts view read it.
public struct AlertBook: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var alert: Alert
        public var firstSeen: Date
        public var acknowledged: Bool
        /// Still holds in the latest evaluation.
        public var active: Bool
    }

    /// Newest first.
    public private(set) var entries: [Entry] = []
    /// Cleared entries beyond this many are forgotten (memory stays bounded).
    public var capacity: Int

    public init(capacity: Int = 200) {
        self.capacity = capacity
    }

    /// A book that starts from the kept history: the last run's alerts, with
    /// their acknowledgements; those still open stay quiet (no bell again).
    public init(capacity: Int = 200, resuming history: [AlertOccurrence]) {
        self.capacity = capacity
        entries = history.prefix(capacity).map { occurrence in
            Entry(
                alert: occurrence.alert, firstSeen: occurrence.raisedAt, acknowledged: occurrence.isAcknowledged,
                active: occurrence.isOpen)
        }
    }

    /// Merges the current alerts; returns the ones that are new, for the bell.
    @discardableResult
    public mutating func update(with current: [Alert], now: Date) -> [Alert] {
        var fresh: [Alert] = []
        var keys: Set<String> = []
        for alert in current where keys.insert(alert.key).inserted {
            let entry = Entry(alert: alert, firstSeen: alert.at ?? now, acknowledged: false, active: true)
            if let i = entries.firstIndex(where: { $0.alert.key == alert.key }) {
                if entries[i].active {
                    entries[i].alert = alert
                } else {
                    // A cleared alert that fires again is new again.
                    entries[i] = entry
                    fresh.append(alert)
                }
            } else {
                entries.append(entry)
                fresh.append(alert)
            }
        }
        for i in entries.indices where !keys.contains(entries[i].alert.key) {
            entries[i].active = false
        }
        entries.sort { $0.firstSeen > $1.firstSeen }
        if entries.count > capacity {
            var excess = entries.count - capacity
            entries.removeAll { entry in
                guard excess > 0, !entry.active else { return false }
                excess -= 1
                return true
            }
        }
        return fresh
    }

    /// The newest unacknowledged active alerts, most severe first: the strip.
    public var unacknowledged: [Alert] {
        entries.filter { $0.active && !$0.acknowledged }
            .sorted { $0.alert.severity != $1.alert.severity ? $0.alert.severity > $1.alert.severity : $0.firstSeen > $1.firstSeen }
            .map(\.alert)
    }

    /// Acknowledges the entry at `index`; its key when that is news, for the alert history.
    @discardableResult
    public mutating func acknowledge(at index: Int) -> String? {
        guard entries.indices.contains(index), !entries[index].acknowledged else { return nil }
        entries[index].acknowledged = true
        return entries[index].alert.key
    }

    /// Acknowledges every entry; the keys that were not yet.
    @discardableResult
    public mutating func acknowledgeAll() -> [String] {
        var keys: [String] = []
        for i in entries.indices where !entries[i].acknowledged {
            entries[i].acknowledged = true
            keys.append(entries[i].alert.key)
        }
        return keys
    }
}
