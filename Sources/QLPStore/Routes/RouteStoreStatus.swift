import Foundation

/// Where a replica keeps the route table and whether it can reach it now,
/// for `GET /admin/replica` and the dashboard's fleet line. The address names
/// the store (a file path, a host:port), never a password.
public struct RouteStoreStatus: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case sqlite, redis
    }

    public var kind: Kind
    public var address: String
    public var healthy: Bool
    /// Why it is unhealthy (or anything else an operator should know); nil when there is nothing to say.
    public var detail: String?

    public init(kind: Kind, address: String, healthy: Bool, detail: String? = nil) {
        self.kind = kind
        self.address = address
        self.healthy = healthy
        self.detail = detail
    }
}
