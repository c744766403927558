/// One operator (or rule) action on the route table. The admin API, `qlp
/// routes` and the dashboard all express what they want as one of these, so
/// that validation, persistence and audit are one path.
public enum RouteChange: Sendable, Equatable, Hashable, Codable {
    /// New weights for a route's targets (target -> percentage points).
    case setWeights(route: String, weights: [Route.Share])
    /// Take a target out of every route.
    case drain(target: String)
    case undrain(target: String)
    /// A new fallback order for a route.
    case setFallback(route: String, order: [String])
    case setPolicy(route: String, policy: Route.Policy)
    /// An operator overrides (suspends) a budget rule, or lifts the override.
    case suspendRule(name: String, suspended: Bool)
    /// Put back the table as it was before the last applied change (undo).
    case restore(to: RouteTable)
}
