import Foundation
import QLPRouting
import QLPStore

/// GET /admin/routes: the table in force.
public struct AdminRoutesView: Sendable, Equatable, Codable {
    public var version: Int
    public var table: RouteTable
    /// Budget rules moving traffic now.
    public var activeRules: [BudgetRoutingRule]
    public var drained: [String]

    public init(version: Int, table: RouteTable, activeRules: [BudgetRoutingRule], drained: [String]) {
        self.version = version
        self.table = table
        self.activeRules = activeRules
        self.drained = drained
    }
}

/// A change's 200 reply: the new version and its audit entry.
public struct AdminChangeView: Sendable, Equatable, Codable {
    public var version: Int
    public var entry: RouteAuditEntry
}

/// GET /admin/audit: newest first.
public struct AdminAuditView: Sendable, Equatable, Codable {
    public var entries: [RouteAuditEntry]
}

/// GET /admin/alerts: oldest first.
public struct AdminAlertsView: Sendable, Equatable, Codable {
    public var alerts: [RoutingAlert]
}
