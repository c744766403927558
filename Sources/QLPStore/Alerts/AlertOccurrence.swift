import Foundation
import QLPCore

/// One raising of a condition and what became of it: when it cleared, who
/// acknowledged it. The alert history a restart keeps.
public struct AlertOccurrence: Sendable, Equatable {
    public var alert: Alert
    public var raisedAt: Date
    public var clearedAt: Date?
    public var acknowledgedBy: String?
    public var acknowledgedAt: Date?
    /// When it was last told (raised or reminded), and how many reminders went out.
    public var lastNotice: Date
    public var reminders: Int

    public init(
        alert: Alert, raisedAt: Date, clearedAt: Date? = nil, acknowledgedBy: String? = nil, acknowledgedAt: Date? = nil,
        lastNotice: Date, reminders: Int = 0
    ) {
        self.alert = alert
        self.raisedAt = raisedAt
        self.clearedAt = clearedAt
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
        self.lastNotice = lastNotice
        self.reminders = reminders
    }

    public var isOpen: Bool { clearedAt == nil }
    public var isAcknowledged: Bool { acknowledgedAt != nil }
}
