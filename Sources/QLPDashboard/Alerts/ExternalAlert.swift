import Foundation
import QLPCore

/// An alert raised outside the dashboard's own data: the `qlp` executable
/// feeds these from the gateway into `DashboardState.externalAlerts`.
public struct ExternalAlert: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A route's latency above its SLO.
        case latencySLOBreach = "latency SLO"
        case breakerOpen = "breaker open"
        /// Many requests served by fallbacks rather than their route's choice.
        case fallbackStorm = "fallback storm"
        /// An upstream answering 429 / Retry-After.
        case throttling = "throttling"
        /// A target not answering (probes failing in a row, or its breaker open).
        case targetDown = "target down"
        /// A target's p95 over its own latency SLO.
        case targetSlow = "target slow"
        /// A route with no target left that answers.
        case routeUnserved = "no healthy target"
        /// A budget-coupled routing rule started sending traffic elsewhere.
        case budgetRuleFired = "budget rule"
    }

    public var kind: Kind
    /// What it is about: a target, a route or a rule name.
    public var subject: String
    public var severity: AlertSeverity
    public var text: String
    public var at: Date

    public init(kind: Kind, subject: String, severity: AlertSeverity, text: String, at: Date) {
        self.kind = kind
        self.subject = subject
        self.severity = severity
        self.text = text
        self.at = at
    }

    public var alert: Alert {
        Alert(key: "gateway.\(kind.rawValue).\(subject).\(severity.rawValue)", severity: severity,
              source: kind == .budgetRuleFired ? .routing : .gateway, text: text, at: at)
    }
}
