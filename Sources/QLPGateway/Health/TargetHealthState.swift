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
}
