import Foundation
import QLPRouting

/// What a route change came to.
public enum RouteControlOutcome: Sendable, Equatable {
    /// The table's new version and what changed ("chat weights: gpt4 40→20").
    case applied(version: Int, summary: String)
    /// Why it was refused (validation, a stale version, no change to undo).
    case rejected(message: String)
}

/// One line of the route audit log as the dashboard shows it.
public struct RouteAuditLine: Sendable, Equatable {
    public var at: Date
    /// Who made the change: an operator's name, or a budget rule's.
    public var actor: String
    public var summary: String
    public var outcome: Outcome
    public var fromVersion: Int
    public var toVersion: Int

    /// What came of the entry, as the audit log recorded it.
    public enum Outcome: Sendable, Equatable {
        /// An operator's (or the config file's) change took effect.
        case applied
        /// An undo took effect.
        case undo
        /// The gateway changed how it routes by itself: a budget rule fired or cleared.
        case automatic
        /// Refused; the table did not change.
        case rejected(reason: String)

        /// The OUTCOME column's words: "applied", "undo", "automatic", "rejected: stale version".
        public var text: String {
            switch self {
            case .applied: "applied"
            case .undo: "undo"
            case .automatic: "automatic"
            case .rejected(let reason): "rejected: \(reason)"
            }
        }
    }

    public init(at: Date, actor: String, summary: String, outcome: Outcome, fromVersion: Int, toVersion: Int) {
        self.at = at
        self.actor = actor
        self.summary = summary
        self.outcome = outcome
        self.fromVersion = fromVersion
        self.toVersion = toVersion
    }
}

/// The dashboard's way into the live route table. The `qlp` executable adapts
/// the gateway's route authority to it (the dashboard never depends on the
/// gateway), and passes the operator's name to the adapter, so every change
/// made from here goes through the same engine path as the admin API.
public protocol RouteControl: Sendable {
    func table() async -> RouteTable
    /// Applies `change` if the table is still at `expectedVersion`.
    func apply(_ change: RouteChange, expectedVersion: Int, reason: String?) async -> RouteControlOutcome
    /// Puts back the table as it was before the last applied change.
    func undo(expectedVersion: Int) async -> RouteControlOutcome
    /// Newest first.
    /// - Throws: the log cannot be read (its store or every replica failed):
    ///   an empty answer would read as "no route changes yet".
    func audit(limit: Int) async throws(RouteAuditUnavailable) -> [RouteAuditLine]
    /// Which targets served the route's recent requests.
    func observedTraffic(route: String) async -> ObservedTraffic
}

/// A route's recent requests: each target's share (0...1), and how many
/// requests over how many seconds they rest on, so a reader can tell a real
/// shift from noise.
public struct ObservedTraffic: Sendable, Equatable {
    public var shares: [String: Double]
    public var requests: Int
    public var windowSeconds: Int

    public init(shares: [String: Double], requests: Int, windowSeconds: Int) {
        self.shares = shares
        self.requests = requests
        self.windowSeconds = windowSeconds
    }
}

/// Why the route audit log could not be read, as the Audit view says it.
public struct RouteAuditUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// What the Routing and Audit views draw, fetched from a `RouteControl`.
public struct RoutingPanel: Sendable, Equatable {
    public var table: RouteTable
    /// Route name -> its recent traffic.
    public var traffic: [String: ObservedTraffic]
    /// Newest first: as read this time, or, when ``auditUnavailable`` is set, as last read.
    public var audit: [RouteAuditLine]
    /// Why the log could not be read this time; nil when it was.
    public var auditUnavailable: String?

    public init(
        table: RouteTable, traffic: [String: ObservedTraffic] = [:], audit: [RouteAuditLine] = [],
        auditUnavailable: String? = nil
    ) {
        self.table = table
        self.traffic = traffic
        self.audit = audit
        self.auditUnavailable = auditUnavailable
    }

    /// Route name -> target name -> observed share (0...1).
    public var observed: [String: [String: Double]] { traffic.mapValues(\.shares) }
}
