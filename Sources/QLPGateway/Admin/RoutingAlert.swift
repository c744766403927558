import Foundation

/// Something about routing an operator should see in the dashboard's alerts:
/// a budget rule that fired or cleared.
public struct RoutingAlert: Sendable, Equatable, Codable {
    public enum Severity: String, Sendable, Equatable, Codable {
        case info, warning, critical
    }

    public var at: Date
    public var severity: Severity
    public var text: String

    public init(at: Date, severity: Severity, text: String) {
        self.at = at
        self.severity = severity
        self.text = text
    }
}
