import Foundation

/// One gateway target as the Models view shows it.
public struct ModelTargetStats: Sendable, Equatable {
    public enum Breaker: String, Sendable, Equatable {
        case closed
        case halfOpen = "half-open"
        case open
    }

    public var target: String
    /// "azure-openai", "ollama".
    public var backend: String
    /// "ok", "drained", "down", …
    public var state: String
    public var p50Milliseconds: Double?
    public var p95Milliseconds: Double?
    public var p99Milliseconds: Double?
    /// Recent request latencies (oldest first) for the sparkline.
    public var recentLatency: [Double?]
    /// Time to first token.
    public var ttftMilliseconds: Double?
    public var tokensPerSecond: Double?
    /// 0...1 over the recent window.
    public var errorRate: Double?
    public var breaker: Breaker
    /// Blended input/output price per 1,000 tokens, in the plan's currency.
    public var costPer1K: Decimal?
    /// Share of its route's recent requests (0...1).
    public var observedShare: Double?
    public var lastProbe: Date?

    public init(target: String, backend: String, state: String, p50Milliseconds: Double? = nil, p95Milliseconds: Double? = nil,
                p99Milliseconds: Double? = nil, recentLatency: [Double?] = [], ttftMilliseconds: Double? = nil,
                tokensPerSecond: Double? = nil, errorRate: Double? = nil, breaker: Breaker = .closed, costPer1K: Decimal? = nil,
                observedShare: Double? = nil, lastProbe: Date? = nil) {
        self.target = target
        self.backend = backend
        self.state = state
        self.p50Milliseconds = p50Milliseconds
        self.p95Milliseconds = p95Milliseconds
        self.p99Milliseconds = p99Milliseconds
        self.recentLatency = recentLatency
        self.ttftMilliseconds = ttftMilliseconds
        self.tokensPerSecond = tokensPerSecond
        self.errorRate = errorRate
        self.breaker = breaker
        self.costPer1K = costPer1K
        self.observedShare = observedShare
        self.lastProbe = lastProbe
    }
}

/// Where the Models view's figures come from; the `qlp` executable adapts the
/// gateway's health and metrics to it.
public protocol GatewayStatsSource: Sendable {
    func targetStats() async -> [ModelTargetStats]
}
