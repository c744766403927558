import Foundation

public enum AlertSeverity: Int, Sendable, Equatable, Comparable, CaseIterable {
    case info = 0
    case warning = 1
    case critical = 2

    public static func < (a: AlertSeverity, b: AlertSeverity) -> Bool { a.rawValue < b.rawValue }

    public var label: String {
        switch self {
        case .info: "info"
        case .warning: "warning"
        case .critical: "CRITICAL"
        }
    }
}

/// One condition that wants an operator's attention now.
public struct Alert: Sendable, Equatable {
    /// Stable while the condition holds ("budget.monthly.95"): a new key is a
    /// new alert (so crossing 95% after 80% rings again), the same key is not.
    public var key: String
    public var severity: AlertSeverity
    /// "budget", "cost data", "gateway", "routing".
    public var source: String
    public var text: String
    /// The point of `text` in a few words, for the one-line strip under every
    /// view's header when the whole text does not fit there (the Alerts view
    /// always shows the whole text). Nil: the strip cuts `text`.
    public var headline: String?
    /// When the condition was reported by its source, if it says.
    public var at: Date?

    public init(key: String, severity: AlertSeverity, source: String, text: String, headline: String? = nil, at: Date? = nil) {
        self.key = key
        self.severity = severity
        self.source = source
        self.text = text
        self.headline = headline
        self.at = at
    }
}

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
              source: kind == .budgetRuleFired ? "routing" : "gateway", text: text, at: at)
    }
}
