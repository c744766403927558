/// What the planner needs to know of a target at the moment of a request.
public struct TargetHealth: Sendable, Equatable {
    /// Whether the target's breaker admits a request.
    public var available: Bool
    /// The EWMA of its latency; nil when never measured, which makes the
    /// latency policy explore it.
    public var latencyMilliseconds: Double?

    public init(available: Bool = true, latencyMilliseconds: Double? = nil) {
        self.available = available
        self.latencyMilliseconds = latencyMilliseconds
    }
}
