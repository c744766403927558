import Foundation

/// A change in an alert's life that people are told about: it was raised, it
/// cleared, or a critical one is still open after the reminder interval.
public struct AlertTransition: Sendable, Equatable {
    public enum Kind: Sendable, Equatable, Hashable, CaseIterable {
        case raised
        case cleared
        /// A critical alert still open; `reminder` counts them from 1.
        case reminder

        public var name: String {
            switch self {
            case .raised: "raised"
            case .cleared: "cleared"
            case .reminder: "reminder"
            }
        }

        public init?(name: String) {
            guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = match
        }
    }

    public var kind: Kind
    /// The alert as last seen (for a clearing: as it was before it cleared).
    public var alert: Alert
    /// When the condition was raised: with the key, it names this occurrence.
    public var raisedAt: Date
    /// When it cleared; nil while open.
    public var clearedAt: Date?
    /// When this transition happened.
    public var at: Date
    /// Which reminder this is (1, 2, ...); 0 for raised and cleared.
    public var reminder: Int

    public init(kind: Kind, alert: Alert, raisedAt: Date, clearedAt: Date? = nil, at: Date, reminder: Int = 0) {
        self.kind = kind
        self.alert = alert
        self.raisedAt = raisedAt
        self.clearedAt = clearedAt
        self.at = at
        self.reminder = reminder
    }

    /// Names this transition of this occurrence of the condition, the same on
    /// every attempt and every process that sees it: receivers drop repeats by it.
    public var identity: String {
        let raised = Int64((raisedAt.timeIntervalSince1970 * 1000).rounded())
        return reminder > 0 ? "\(alert.key)|\(raised)|\(kind.name)|\(reminder)" : "\(alert.key)|\(raised)|\(kind.name)"
    }
}
