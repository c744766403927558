/// How long a subscriber waits before reconnecting: 100 ms after the first failure, doubling up to 5 s,
/// back to 100 ms once a subscribe succeeds. A value, so the waits are tested without waiting.
public struct ReconnectBackoff: Sendable, Equatable {
    public static let first: Duration = .milliseconds(100)
    public static let ceiling: Duration = .seconds(5)

    /// The wait after the next failure.
    public private(set) var nextDelay: Duration = Self.first
    /// Failed attempts since the last successful subscribe: the first one is news (the consumer is told
    /// it is disconnected); the ones after it are the same outage.
    public private(set) var failuresInARow = 0

    public init() {}

    /// An attempt failed or a subscribed connection was lost: how long to wait before the next attempt.
    public mutating func failed() -> Duration {
        let delay = nextDelay
        nextDelay = min(nextDelay * 2, Self.ceiling)
        failuresInARow += 1
        return delay
    }

    /// Subscribed again: the next outage starts from the shortest wait.
    public mutating func subscribed() {
        nextDelay = Self.first
        failuresInARow = 0
    }
}
