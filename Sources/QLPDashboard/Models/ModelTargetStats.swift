import Foundation

/// One gateway target as the Models view shows it.
public struct ModelTargetStats: Sendable, Equatable {
    public enum Breaker: String, Sendable, Equatable {
        case closed
        case halfOpen = "half-open"
        case open
    }

    /// The target's condition from probes, live requests, its breaker and its latency SLO.
    public enum Health: String, Sendable, Equatable, CaseIterable {
        case ok, slow, degraded, down, unknown
        /// An operator took it out of every route.
        case drained
    }

    public var target: String
    /// "azure-openai", "ollama".
    public var backend: String
    public var state: Health
    /// Why it is in that state, in words ("cannot connect to 10.0.0.4 port 443
    /// at 03:12:04 (2 probes failed in a row)", "p95 7.8 s over the 4 s SLO").
    public var reason: String
    /// When it entered that state.
    public var since: Date?
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
    /// Prices per 1,000 input and output tokens, in the plan's currency.
    public var inputCostPer1K: Decimal?
    public var outputCostPer1K: Decimal?
    /// Share of its route's recent requests (0...1).
    public var observedShare: Double?
    public var lastProbe: Date?

    public init(
        target: String, backend: String, state: Health, reason: String = "", since: Date? = nil,
        p50Milliseconds: Double? = nil, p95Milliseconds: Double? = nil,
        p99Milliseconds: Double? = nil, recentLatency: [Double?] = [], ttftMilliseconds: Double? = nil,
        tokensPerSecond: Double? = nil, errorRate: Double? = nil, breaker: Breaker = .closed,
        inputCostPer1K: Decimal? = nil, outputCostPer1K: Decimal? = nil,
        observedShare: Double? = nil, lastProbe: Date? = nil
    ) {
        self.target = target
        self.backend = backend
        self.state = state
        self.reason = reason
        self.since = since
        self.p50Milliseconds = p50Milliseconds
        self.p95Milliseconds = p95Milliseconds
        self.p99Milliseconds = p99Milliseconds
        self.recentLatency = recentLatency
        self.ttftMilliseconds = ttftMilliseconds
        self.tokensPerSecond = tokensPerSecond
        self.errorRate = errorRate
        self.breaker = breaker
        self.inputCostPer1K = inputCostPer1K
        self.outputCostPer1K = outputCostPer1K
        self.observedShare = observedShare
        self.lastProbe = lastProbe
    }
}

/// Where the Models view's figures come from; the `qlp` executable adapts the
/// gateway's health and metrics to it.
public protocol GatewayStatsSource: Sendable {
    func targetStats() async -> [ModelTargetStats]
}
