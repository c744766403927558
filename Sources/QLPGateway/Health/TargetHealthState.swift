import Foundation
import QLPRouting

/// One target's health as a value, for /metrics, the dashboard and tests.
public struct TargetHealthState: Sendable, Equatable {
    public var target: String
    public var breaker: CircuitBreaker.State
    /// The EWMA the latency-aware policy uses (TTFT for streams, total otherwise); nil until measured.
    public var latencyMilliseconds: Double?
    /// Over the last few hundred answers (probes included).
    public var p50Milliseconds: Double?
    public var p95Milliseconds: Double?
    public var p99Milliseconds: Double?
    /// Failed share of the last few hundred attempts (0...1).
    public var errorRate: Double
    /// Client traffic only (probes excluded).
    public var requests: Int
    public var errors: Int
    public var inputTokens: Int
    public var outputTokens: Int
    /// At the target's configured prices.
    public var estimatedCost: Decimal
    /// Monotonic seconds (MonotonicClock) of the last request it served; nil if none.
    public var lastServedAt: Double?
    /// Median time to first token of recent streamed answers and chat probes;
    /// nil until one, and when none came in the last few minutes.
    public var timeToFirstTokenMilliseconds: Double?
    /// Median output tokens per second of recent answers: after the first
    /// token for streamed answers and probes; over the whole request for
    /// answers in one body, used only when no stream came in the last few minutes.
    public var outputTokensPerSecond: Double?
    /// When the last probe of it ended; nil if none has.
    public var lastProbeAt: Date?
}

/// When an answer's first token and its end arrived, from the request's start.
public struct AnswerTiming: Sendable, Equatable {
    public var totalMilliseconds: Double
    /// nil for an answer that came in one body (no first token apart from the rest).
    public var firstTokenMilliseconds: Double?

    public init(totalMilliseconds: Double, firstTokenMilliseconds: Double?) {
        self.totalMilliseconds = totalMilliseconds
        self.firstTokenMilliseconds = firstTokenMilliseconds
    }

    /// `outputTokens` over the time generating them: after the first token when
    /// streamed, the whole request otherwise; nil when there is nothing to divide.
    func outputTokensPerSecond(_ outputTokens: Int) -> Double? {
        guard outputTokens > 0 else { return nil }
        let milliseconds = totalMilliseconds - (firstTokenMilliseconds ?? 0)
        // Under a millisecond is a body that arrived at once, not a rate.
        guard milliseconds >= 1 else { return nil }
        return Double(outputTokens) * 1000 / milliseconds
    }
}
