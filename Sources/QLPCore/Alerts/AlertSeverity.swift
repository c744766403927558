/// How urgently an alert wants someone: what the strip sorts by, what a
/// notification sink's `min_severity` compares against.
public enum AlertSeverity: Int, Sendable, Equatable, Hashable, Comparable, CaseIterable {
    case info = 0
    case warning = 1
    case critical = 2

    public static func < (a: AlertSeverity, b: AlertSeverity) -> Bool { a.rawValue < b.rawValue }

    /// As the screen shows it: critical shouts.
    public var label: String {
        switch self {
        case .info: "info"
        case .warning: "warning"
        case .critical: "CRITICAL"
        }
    }

    /// As config files, JSON bodies and the database spell it.
    public var name: String {
        switch self {
        case .info: "info"
        case .warning: "warning"
        case .critical: "critical"
        }
    }

    /// The severity `name` spells, or nil.
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}
