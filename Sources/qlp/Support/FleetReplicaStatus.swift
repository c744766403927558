import Foundation
import QLPDashboard
import QLPGateway

/// Each attached replica's name, table version and health, from its /admin/replica.
struct FleetReplicaStatus: FleetStatusSource {
    let fleet: AttachedFleet

    func replicas() async -> [ReplicaStatus] {
        let answers = await fleet.each { client throws(AdminAPIError) in try await client.replica() }
        return zip(fleet.clients, answers).map { client, answer in
            switch answer {
            case .success(let replica):
                ReplicaStatus(
                    name: replica.name, address: client.baseURL,
                    state: .up(version: replica.version, storeHealthy: replica.store.healthy))
            case .failure(let error):
                ReplicaStatus(name: Self.shortName(client.baseURL), address: client.baseURL, state: .down(reason: error.description))
            }
        }
    }

    /// "http://10.0.0.7:8089" -> "10.0.0.7:8089": a replica that never answered is known only by where it was asked.
    static func shortName(_ baseURL: String) -> String {
        guard let scheme = baseURL.range(of: "://") else { return baseURL }
        return String(baseURL[scheme.upperBound...])
    }
}
