/// How an attempt at a target failed, as far as the retry decision cares.
public enum UpstreamFailure: Sendable, Equatable {
    /// No connection (refused, reset before a response, DNS, TLS).
    case connect
    /// No response (or no first byte) in time.
    case timeout
    /// The upstream answered with this HTTP status (not 429).
    case status(Int)
    /// 429, with the upstream's Retry-After in seconds when it sent one.
    case throttled(retryAfterSeconds: Double?)
}

/// What to do after a failed attempt.
public enum RetryDecision: Sendable, Equatable {
    /// Try the next target of the plan.
    case tryNext
    /// Wait this long, then ask the same target again (it asked us to, and it is the last one).
    case waitThenRetrySame(seconds: Double)
    /// Return the failure to the client.
    case giveUp
}
