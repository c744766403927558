/// When a poller asks next: one rule for every panel's refresh (cost,
/// Azure budgets, Atlas, Monitor), driven by what each attempt came to.
///
/// - After a success: the normal interval.
/// - After a failure: sooner at first, 15 s, 30 s, 60 s …, doubling up to the
///   interval and staying there; an interval shorter than 15 s (the demo)
///   retries at its own pace.
/// - After a throttle: just after the wait the service asked for (half a
///   second past it), never sooner than 5 s, whatever the backoff says.
/// - After a failure that asking sooner cannot mend (a configuration
///   problem): the normal interval.
///
/// A value: tests drive it with durations, no clock and no sleeping.
public struct PollSchedule: Sendable, Equatable {
    public let interval: Duration
    /// Failures in a row since the last success.
    public private(set) var failures = 0

    /// The first retry after a failure (or the interval, if shorter).
    public static let firstRetry = Duration.seconds(15)
    /// Added to a throttle's wait, so the next request lands after it.
    public static let throttleMargin = Duration.milliseconds(500)
    /// The least wait after a throttle.
    public static let shortestThrottleWait = Duration.seconds(5)

    public init(interval: Duration) {
        self.interval = interval
    }

    /// The wait after a refresh that worked.
    public mutating func succeeded() -> Duration {
        failures = 0
        return interval
    }

    /// The wait after a refresh that failed; `retryAfter` is the wait the
    /// service (or qlp's own request budget) asked for, when it asked.
    public mutating func failed(retryAfter: Duration? = nil) -> Duration {
        failures += 1
        if let retryAfter { return max(retryAfter + Self.throttleMargin, Self.shortestThrottleWait) }
        let base = min(Self.firstRetry, interval)
        return min(base * (1 << min(failures - 1, 10)), max(interval, base))
    }

    /// The wait after a failure that retrying sooner cannot mend.
    public mutating func failedForGood() -> Duration {
        failures += 1
        return interval
    }
}
