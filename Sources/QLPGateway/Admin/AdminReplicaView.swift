import Foundation
import QLPStore

/// GET /admin/replica: which replica answered, the table version it serves,
/// and whether it can reach the route store, so a dashboard attached to
/// several can tell one that is behind or cut off from the others.
public struct AdminReplicaView: Sendable, Equatable, Codable {
    /// gateway's replica name (fleet.replica_name; the host name by default).
    public var name: String
    public var version: Int
    public var store: RouteStoreStatus
    public var startedAt: Date
    public var uptimeSeconds: Int

    public init(name: String, version: Int, store: RouteStoreStatus, startedAt: Date, uptimeSeconds: Int) {
        self.name = name
        self.version = version
        self.store = store
        self.startedAt = startedAt
        self.uptimeSeconds = uptimeSeconds
    }

    enum CodingKeys: String, CodingKey {
        case name, version, store
        case startedAt = "started_at"
        case uptimeSeconds = "uptime_seconds"
    }

    /// This machine's host name: the replica's name when none is configured (a pod's name on AKS).
    public static var hostName: String {
        ProcessInfo.processInfo.hostName
    }
}

/// GET /admin/targets: each target's figures on this replica.
public struct AdminTargetsView: Sendable, Equatable, Codable {
    public var targets: [TargetStatsView]

    public init(targets: [TargetStatsView]) {
        self.targets = targets
    }
}
