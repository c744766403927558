/// A named route ("chat", "code", "embeddings"): the targets that serve it,
/// how traffic is split over them, and where it goes when they fail.
public struct Route: Sendable, Equatable, Hashable, Codable {
    public enum Policy: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
        /// Smooth weighted round robin over the weights.
        case weighted
        /// The first available target in weight-list order.
        case priority
        /// The cheapest available target whose latency meets the route's SLO.
        case cost
        /// The available target with the lowest latency estimate; unmeasured ones are explored first.
        case latency
    }

    /// One entry of the weight list; the list's order is the priority order.
    public struct Share: Sendable, Equatable, Hashable, Codable {
        public var target: String
        /// Percentage points, 0 to 100.
        public var weight: Int

        public init(target: String, weight: Int) {
            self.target = target
            self.weight = weight
        }
    }

    public var name: String
    public var policy: Policy
    public var shares: [Share]
    /// Targets tried in this order once the route's own choice has failed.
    public var fallback: [String]
    /// For the cost policy: the latency a target must meet, in milliseconds; nil for none.
    public var latencySLOMilliseconds: Int?

    public init(name: String, policy: Policy, shares: [Share], fallback: [String], latencySLOMilliseconds: Int? = nil) {
        self.name = name
        self.policy = policy
        self.shares = shares
        self.fallback = fallback
        self.latencySLOMilliseconds = latencySLOMilliseconds
    }

    /// Every target the route may use, shares first, then fallbacks, each once.
    public var targetNames: [String] {
        var seen: Set<String> = []
        return (shares.map(\.target) + fallback).filter { seen.insert($0).inserted }
    }
}
