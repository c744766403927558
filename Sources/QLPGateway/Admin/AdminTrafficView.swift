import Foundation

/// GET /admin/traffic: which targets served each route's recent requests on
/// this replica (what `RouteTrafficWindow.observed(route:)` gives).
public struct AdminTrafficView: Sendable, Equatable, Codable {
    public struct RouteTraffic: Sendable, Equatable, Codable {
        /// Target -> share of the route's requests (0...1).
        public var shares: [String: Double]
        public var requests: Int

        public init(shares: [String: Double], requests: Int) {
            self.shares = shares
            self.requests = requests
        }
    }

    public var windowSeconds: Int
    /// Route name -> its recent traffic.
    public var routes: [String: RouteTraffic]

    public init(windowSeconds: Int, routes: [String: RouteTraffic]) {
        self.windowSeconds = windowSeconds
        self.routes = routes
    }

    enum CodingKeys: String, CodingKey {
        case windowSeconds = "window_seconds"
        case routes
    }

    /// The fleet's traffic from each replica's: requests added, each target's
    /// share weighted by the requests it rests on on each replica (so the
    /// result is the share of all the fleet's requests), the longest window.
    public static func merged(_ replicas: [AdminTrafficView]) -> AdminTrafficView {
        var served: [String: [String: Double]] = [:]
        var requests: [String: Int] = [:]
        for replica in replicas {
            for (route, traffic) in replica.routes {
                requests[route, default: 0] += traffic.requests
                for (target, share) in traffic.shares {
                    served[route, default: [:]][target, default: 0] += share * Double(traffic.requests)
                }
            }
        }
        var routes: [String: RouteTraffic] = [:]
        for (route, total) in requests {
            let shares = total > 0 ? (served[route] ?? [:]).mapValues { $0 / Double(total) } : [:]
            routes[route] = RouteTraffic(shares: shares, requests: total)
        }
        return AdminTrafficView(windowSeconds: replicas.map(\.windowSeconds).max() ?? RouteTrafficWindow.windowSeconds, routes: routes)
    }
}
