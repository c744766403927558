/// What a client's `model` field resolved to: the route that serves it and,
/// when the client named a target's own model rather than a route, that target.
public struct RouteResolution: Sendable, Equatable, Hashable {
    public var route: String
    /// Set when the request asked for a target by name or model name ("gpt-4"):
    /// that target is tried first, then the route's usual chain.
    public var pinnedTarget: String?

    public init(route: String, pinnedTarget: String? = nil) {
        self.route = route
        self.pinnedTarget = pinnedTarget
    }
}
