import Foundation

/// One gateway replica the dashboard is attached to (`qlp dash --attach`), as
/// its admin API last answered.
public struct ReplicaStatus: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// Answered: the table version it serves, and whether it reaches its route store.
        case up(version: Int, storeHealthy: Bool)
        /// Did not answer (or refused the token): why, in words.
        case down(reason: String)
    }

    /// Its replica name; its address until it has answered once.
    public var name: String
    /// The admin endpoint it was attached by ("http://10.0.0.7:8089").
    public var address: String
    public var state: State

    public init(name: String, address: String, state: State) {
        self.name = name
        self.address = address
        self.state = state
    }
}

/// Where the fleet's replicas' statuses come from; the `qlp` executable
/// adapts the replicas' admin APIs to it (the dashboard never depends on the gateway).
public protocol FleetStatusSource: Sendable {
    /// Every attached replica, in the order they were given.
    func replicas() async -> [ReplicaStatus]
}
