/// Everything the gateway routes by, as one immutable value. A change makes a
/// new table with the next version; the gateway swaps tables atomically, so a
/// request keeps the table it started with.
public struct RouteTable: Sendable, Equatable, Hashable, Codable {
    /// Starts at 1 and goes up by one with every applied change (undo included).
    public var version: Int
    public var targets: [RouteTarget]
    public var routes: [Route]
    /// Targets taken out of every route until undrained.
    public var drained: [String]
    public var budgetRules: [BudgetRoutingRule]
    /// Names of budget rules an operator has suspended.
    public var suspendedRules: [String]

    public init(
        version: Int, targets: [RouteTarget], routes: [Route], drained: [String] = [],
        budgetRules: [BudgetRoutingRule] = [], suspendedRules: [String] = []
    ) {
        self.version = version
        self.targets = targets
        self.routes = routes
        self.drained = drained
        self.budgetRules = budgetRules
        self.suspendedRules = suspendedRules
    }

    public func target(named name: String) -> RouteTarget? { targets.first { $0.name == name } }
    public func route(named name: String) -> Route? { routes.first { $0.name == name } }
    public func isDrained(_ target: String) -> Bool { drained.contains(target) }
}
