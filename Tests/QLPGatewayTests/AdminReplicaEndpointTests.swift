import Foundation
import QLPCore
import QLPStore
import Testing

@testable import QLPGateway

/// GET /admin/replica, /admin/traffic and /admin/targets through `AdminAPIClient`,
/// behind the same token as the rest of the admin API.
@Suite("Admin replica endpoints", .serialized)
struct AdminReplicaEndpointTests {
    @Test func theReplicaSaysItsNameVersionAndStoreAndFollowsChanges() async throws {
        let admin = try await AdminHarness.start()
        do {
            let client = AdminAPIClient(baseURL: admin.base, token: Secret(AdminHarness.token), actor: "alice", transport: admin.transport)
            let replica = try await client.replica()
            #expect(replica.name == AdminReplicaView.hostName)
            #expect(replica.version == 1)
            #expect(replica.store == RouteStoreStatus(kind: .sqlite, address: admin.directory + "/routes.sqlite", healthy: true))
            #expect(replica.uptimeSeconds >= 0)
            _ = try await client.drain(target: "llama3", version: 1, reason: nil)
            #expect(try await client.replica().version == 2)

            // No gateway beside this admin API: no figures, said as such.
            await #expect(throws: AdminAPIError.self) { _ = try await client.traffic() }
            let wrong = AdminAPIClient(baseURL: admin.base, token: Secret("wrong"), actor: "alice", transport: admin.transport)
            do {
                _ = try await wrong.replica()
                Issue.record("a wrong token was answered")
            } catch {
                guard case .unauthorized = error else {
                    Issue.record("\(error)")
                    return
                }
            }
            let raw = try await admin.send(.get, "/admin/replica")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(raw.body)) as? [String: Any])
            #expect(Set(object.keys) == ["name", "version", "store", "started_at", "uptime_seconds"])
            #expect((object["store"] as? [String: Any])?["kind"] as? String == "sqlite")
        }
        await admin.stop()
    }
}
