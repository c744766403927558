import Foundation
import QLPDashboard
import QLPGateway
import QLPRouting
import QLPStore
import Synchronization

/// The Routing and Audit views on a running fleet (`qlp dash --attach`):
/// the table of the replica that serves the newest version, changes sent with
/// the version they were made on through one replica's admin API (so a change
/// someone made meanwhile is refused with the 409, never overwritten), and
/// the observed traffic of every replica added up.
struct FleetRouteControl: RouteControl {
    let fleet: AttachedFleet
    /// The last table a replica gave, shown while none answers (the fleet line says they are down).
    private let lastTable = LastTable()

    init(fleet: AttachedFleet) {
        self.fleet = fleet
    }

    func table() async -> RouteTable {
        let answers = await fleet.each { client throws(AdminAPIError) in try await client.routes() }
        let newest = answers.compactMap { try? $0.get() }.max { $0.version < $1.version }
        return lastTable.table.withLock { last in
            if let newest { last = newest.table }
            return last
        }
    }

    func apply(_ change: RouteChange, expectedVersion: Int, reason: String?) async -> RouteControlOutcome {
        let reason = reason ?? "from the dashboard"
        let sent = await fleet.first { client throws(AdminAPIError) in
            try await Self.send(change, version: expectedVersion, reason: reason, through: client)
        }
        return Self.outcome(sent, version: expectedVersion)
    }

    func undo(expectedVersion: Int) async -> RouteControlOutcome {
        let sent = await fleet.first { client throws(AdminAPIError) in
            try await client.undo(version: expectedVersion, reason: "undo from the dashboard")
        }
        return Self.outcome(sent, version: expectedVersion)
    }

    /// The replicas share one store and so one audit log: the first that answers tells it.
    func audit(limit: Int) async throws(RouteAuditUnavailable) -> [RouteAuditLine] {
        let answer = await fleet.first { client throws(AdminAPIError) in try await client.audit(limit: limit) }
        switch answer {
        case .success(let view): return view.entries.map(RouteAuditLine.init)
        case .failure(let error): throw RouteAuditUnavailable(error.description)
        }
    }

    func observedTraffic(route: String) async -> ObservedTraffic {
        let answers = await fleet.each { client throws(AdminAPIError) in try await client.traffic() }
        let merged = AdminTrafficView.merged(answers.compactMap { try? $0.get() })
        let traffic = merged.routes[route]
        return ObservedTraffic(shares: traffic?.shares ?? [:], requests: traffic?.requests ?? 0, windowSeconds: merged.windowSeconds)
    }

    /// The admin API call that makes `change`.
    static func send(
        _ change: RouteChange, version: Int, reason: String,
        through client: AdminAPIClient
    ) async throws(AdminAPIError) -> AdminChangeView {
        switch change {
        case .setWeights(let route, let shares):
            var weights: [String: Int] = [:]
            for share in shares { weights[share.target] = share.weight }
            return try await client.setWeights(route: route, weights: weights, version: version, reason: reason)
        case .drain(let target):
            return try await client.drain(target: target, version: version, reason: reason)
        case .undrain(let target):
            return try await client.undrain(target: target, version: version, reason: reason)
        case .setFallback(let route, let order):
            return try await client.setFallback(route: route, order: order, version: version, reason: reason)
        case .setPolicy(let route, let policy):
            return try await client.setPolicy(route: route, policy: policy, version: version, reason: reason)
        case .suspendRule(let name, let suspended):
            return try await client.suspendRule(name, suspended: suspended, version: version, reason: reason)
        case .batch(let parts):
            // One version and one audit entry for the whole draft: it never lands half-applied.
            return try await client.apply(changes: parts, version: version, reason: reason)
        case .restore:
            // Only an undo restores a table, and undo has its own endpoint.
            throw .invalid("a whole table cannot be sent to the admin API; use undo")
        }
    }

    static func outcome(_ sent: Result<AdminChangeView, AdminAPIError>, version: Int) -> RouteControlOutcome {
        switch sent {
        case .success(let change):
            return .applied(version: change.version, summary: change.entry.summary)
        case .failure(.conflict(let current, _)):
            return .rejected(
                message: "someone else changed the routes since you read them"
                    + (current.map { " (the table is at v\($0) now)" } ?? "")
                    + ": the fresh table is shown; review it and make the change again")
        case .failure(let error):
            return .rejected(message: error.description)
        }
    }
}

/// The last table a replica gave, kept across polls.
private final class LastTable: Sendable {
    let table = Mutex(RouteTable(version: 0, targets: [], routes: []))
}
