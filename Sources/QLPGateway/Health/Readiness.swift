import Foundation
import QLPStore

/// What `GET /readyz` says. A replica whose route store does not answer
/// (Redis down) still serves the last table it read, so it stays ready (200)
/// and says "degraded" with the reason: were it to answer 503, Kubernetes
/// would take every replica out of its Service at once during a Redis
/// outage, turning a store problem into an outage of the data plane.
/// Liveness (`/healthz`) says only that the process answers.
struct Readiness: Encodable {
    var status: String
    var routesVersion: Int
    var store: RouteStoreStatus?

    enum CodingKeys: String, CodingKey {
        case status, store
        case routesVersion = "routes_version"
    }

    init(version: Int, store: RouteStoreStatus?) {
        status = store?.healthy == false ? "degraded" : "ready"
        routesVersion = version
        self.store = store
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Strings, numbers and booleans: encoding cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{\"status\":\"ready\"}"
    }
}
