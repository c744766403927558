import Foundation
import QLPStore

/// What `GET /readyz` says. A replica whose route store does not answer
/// (Redis down) still serves the last table it read, so it stays ready (200)
/// and says "degraded" with the reason: were it to answer 503, Kubernetes
/// would take every replica out of its Service at once during a Redis
/// outage, turning a store problem into an outage of the data plane.
/// A stopping gateway (draining its requests) is not ready: 503
/// "draining", so load balancers send elsewhere while it finishes.
/// Liveness (`/healthz`) says only that the process answers.
struct Readiness: Encodable {
    enum State: String, Encodable {
        case ready, degraded, draining
    }

    var status: State
    var routesVersion: Int
    var store: RouteStoreStatus?

    enum CodingKeys: String, CodingKey {
        case status, store
        case routesVersion = "routes_version"
    }

    init(version: Int, store: RouteStoreStatus?, draining: Bool = false) {
        status = draining ? .draining : store?.healthy == false ? .degraded : .ready
        routesVersion = version
        self.store = store
    }

    /// 503 while draining, else 200 (a degraded store still serves; see above).
    var httpStatus: Int { status == .draining ? 503 : 200 }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Strings, numbers and booleans: encoding cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{\"status\":\"ready\"}"
    }
}
