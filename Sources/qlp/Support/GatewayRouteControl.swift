import Foundation
import QLPDashboard
import QLPGateway
import QLPRouting
import QLPStore

/// The dashboard's Routing and Audit views on the embedded gateway: every
/// change goes through the route authority, as an admin API call would, with
/// the operator's name in the audit log.
struct GatewayRouteControl: RouteControl {
    let authority: RouteAuthority
    let traffic: RouteTrafficWindow
    /// The operator, from dashboard.operator or $USER.
    let actor: String

    func table() async -> RouteTable {
        await authority.current.table
    }

    func apply(_ change: RouteChange, expectedVersion: Int, reason: String?) async -> RouteControlOutcome {
        do {
            let entry = try await authority.apply(
                change, expectedVersion: expectedVersion, actor: actor,
                reason: reason ?? "from the dashboard")
            return .applied(version: entry.toVersion ?? expectedVersion, summary: entry.summary)
        } catch {
            return .rejected(message: error.description)
        }
    }

    func undo(expectedVersion: Int) async -> RouteControlOutcome {
        do {
            let entry = try await authority.undo(actor: actor, reason: "undo from the dashboard", expectedVersion: expectedVersion)
            return .applied(version: entry.toVersion ?? expectedVersion, summary: entry.summary)
        } catch {
            return .rejected(message: error.description)
        }
    }

    func audit(limit: Int) async throws(RouteAuditUnavailable) -> [RouteAuditLine] {
        do {
            return try await authority.store.audit(limit: limit).map(RouteAuditLine.init)
        } catch {
            throw RouteAuditUnavailable(error.description)
        }
    }

    /// The audit log's typed outcome as the Audit view shows it. (It was
    /// mapped to words and back, and an automatic entry fell through to
    /// "rejected: refused", in red.)
    static func outcome(of entry: RouteAuditEntry) -> RouteAuditLine.Outcome {
        switch entry.outcome {
        case .applied: entry.action == .undo ? .undo : .applied
        case .automatic: .automatic
        case .rejected: .rejected(reason: entry.rejection ?? "no reason recorded")
        }
    }

    func observedTraffic(route: String) async -> ObservedTraffic {
        let (shares, requests) = traffic.observed(route: route)
        return ObservedTraffic(shares: shares, requests: requests, windowSeconds: RouteTrafficWindow.windowSeconds)
    }
}

extension RouteAuditLine {
    /// An audit entry (from this process's store or a replica's /admin/audit) as the Audit view shows it.
    init(_ entry: RouteAuditEntry) {
        self.init(
            at: entry.at, actor: entry.actor, summary: entry.summary, outcome: GatewayRouteControl.outcome(of: entry),
            fromVersion: entry.fromVersion, toVersion: entry.toVersion ?? entry.fromVersion)
    }
}
