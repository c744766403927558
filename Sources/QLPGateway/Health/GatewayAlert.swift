import Foundation
import QLPCore

/// Something in the gateway's recent traffic an operator should see: a route
/// over its latency SLO, a route leaning on its fallbacks, a throttling target,
/// a target down or slow, a route with no healthy target left.
/// Raised by `GatewayAlertRules`; `alert` is what the dashboard and notifications see.
public struct GatewayAlert: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case latencySLOBreach = "latency SLO"
        case fallbackStorm = "fallback storm"
        case throttling
        /// A target down (`TargetCondition`): critical while it holds.
        case targetDown = "target down"
        /// A target whose p95 is over its own latency SLO.
        case targetSlow = "target slow"
        /// A route none of whose targets (weighted or fallback) is answering.
        case routeUnserved = "no healthy target"
    }

    public var kind: Kind
    /// The route (SLO, fallback storm, no healthy target) or target (throttling, down, slow) it is about.
    public var subject: String
    /// Warning or critical: traffic and health never raise a mere info.
    public var severity: AlertSeverity
    public var text: String
    /// When the condition was first seen at this severity; kept while it holds.
    public var since: Date
    /// When the condition was last seen to hold.
    public var lastSeen: Date
    /// The figure the text states (p95 in ms, percent, count), so the next
    /// evaluation can tell whether it moved enough to be restated.
    public var figure: Double

    public init(kind: Kind, subject: String, severity: AlertSeverity, text: String, since: Date, lastSeen: Date? = nil, figure: Double) {
        self.kind = kind
        self.subject = subject
        self.severity = severity
        self.text = text
        self.since = since
        self.lastSeen = lastSeen ?? since
        self.figure = figure
    }
}

extension GatewayAlert {
    /// As the one alert model has it. The key names the condition and its
    /// level, so a warning that turns critical is a new alert (it rings again).
    public var alert: Alert {
        Alert(
            key: "gateway.\(kind.rawValue).\(subject).\(severity.rawValue)", severity: severity, source: .gateway,
            text: text, at: since)
    }
}
