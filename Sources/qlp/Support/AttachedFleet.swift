import Foundation
import QLPCore
import QLPGateway
import QLPHTTP

/// The replicas `qlp dash --attach URL…` operates: one admin API client per
/// URL, all with the same token and the operator's name for the audit log.
struct AttachedFleet: Sendable {
    let clients: [AdminAPIClient]

    /// A poll waits at most this long for a replica: one that hangs shows as
    /// down on the next look instead of holding every view back.
    static let replicaTimeout: Duration = .seconds(3)

    init(urls: [String], token: Secret, actor: String, transport: any HTTPTransport) {
        clients = urls.map { AdminAPIClient(baseURL: $0, token: token, actor: actor, transport: transport, timeout: Self.replicaTimeout) }
    }

    init(clients: [AdminAPIClient]) {
        self.clients = clients
    }

    /// Asks every replica at once; each answer (or error) at its replica's place.
    func each<Reply: Sendable>(
        _ call: @escaping @Sendable (AdminAPIClient) async throws(AdminAPIError) -> Reply
    ) async -> [Result<Reply, AdminAPIError>] {
        await withTaskGroup(of: (Int, Result<Reply, AdminAPIError>).self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    do throws(AdminAPIError) {
                        return (index, .success(try await call(client)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results = [Result<Reply, AdminAPIError>?](repeating: nil, count: clients.count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0 ?? .failure(.unexpected(status: 0, detail: "no answer")) }
        }
    }

    /// Sends `call` to the first replica that can be reached, in the order
    /// given: a change goes through one replica only (they share the store, so
    /// the others see it), and one that is down does not stop it.
    func first<Reply: Sendable>(
        _ call: @Sendable (AdminAPIClient) async throws(AdminAPIError) -> Reply
    ) async -> Result<Reply, AdminAPIError> {
        var last = AdminAPIError.unexpected(status: 0, detail: "no replica attached")
        for client in clients {
            do throws(AdminAPIError) {
                return .success(try await call(client))
            } catch {
                guard case .unreachable = error else { return .failure(error) }
                last = error
            }
        }
        return .failure(last)
    }
}
