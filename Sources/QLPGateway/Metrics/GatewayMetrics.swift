import Atomics
import Foundation
import Prometheus
import QLPRouting
import Synchronization

/// The gateway's Prometheus metrics. Each target's metric objects are made
/// once, the first time the target is used, and found again with one atomic
/// load; a request only increments and records.
public final class GatewayMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let overhead: DurationHistogram
    private let targets = ManagedAtomic(TargetTable(byName: [:]))
    private let growing = Mutex(())

    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60),
    ]
    static let overheadBuckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(200), .microseconds(500), .milliseconds(1),
        .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(50),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        overhead = registry.makeDurationHistogram(
            descriptor: Self.name("overhead", unit: "seconds", help: "Time the gateway itself spent on a request (total minus upstream)."),
            buckets: Self.overheadBuckets)
    }

    /// One target's metric objects.
    final class TargetMetrics: Sendable {
        let responses2xx: Counter
        let responses4xx: Counter
        let responses5xx: Counter
        let unanswered: Counter
        let errors: Counter
        let duration: DurationHistogram
        let timeToFirstToken: DurationHistogram
        let breakerState: Gauge
        let fallbacks: Counter
        let inputTokens: Counter
        let outputTokens: Counter
        let cost: Counter
        /// Answers (2xx) that said nothing of their tokens: counted as unknown, never as 0.
        let usageUnknown: Counter

        init(target: String, registry: PrometheusCollectorRegistry) {
            let requests = GatewayMetrics.name("upstream_requests", unit: "total",
                                               help: "Upstream attempts per target, by the status class the target answered (none: no answer).")
            func requestCounter(_ statusClass: String) -> Counter {
                registry.makeCounter(descriptor: requests, labels: [("target", target), ("status_class", statusClass)])
            }
            responses2xx = requestCounter("2xx")
            responses4xx = requestCounter("4xx")
            responses5xx = requestCounter("5xx")
            unanswered = requestCounter("none")
            errors = registry.makeCounter(descriptor: GatewayMetrics.name("upstream_errors", unit: "total",
                                                                          help: "Failed upstream attempts (connect error, timeout, 5xx, 429)."),
                                          labels: [("target", target)])
            duration = registry.makeDurationHistogram(
                descriptor: GatewayMetrics.name("upstream_request_duration", unit: "seconds",
                                                help: "Upstream time of answered requests (to the last byte for non-streaming)."),
                labels: [("target", target)], buckets: GatewayMetrics.latencyBuckets)
            timeToFirstToken = registry.makeDurationHistogram(
                descriptor: GatewayMetrics.name("upstream_time_to_first_token", unit: "seconds",
                                                help: "Time to the first streamed chunk of streaming requests."),
                labels: [("target", target)], buckets: GatewayMetrics.latencyBuckets)
            breakerState = registry.makeGauge(descriptor: GatewayMetrics.name("breaker_state", unit: "",
                                                                              help: "Circuit breaker: 0 closed, 1 half-open, 2 open."),
                                              labels: [("target", target)])
            fallbacks = registry.makeCounter(descriptor: GatewayMetrics.name("fallbacks", unit: "total",
                                                                             help: "Requests this target served after another target failed."),
                                             labels: [("target", target)])
            let tokens = GatewayMetrics.name("tokens", unit: "total", help: "Tokens reported in upstream usage.")
            inputTokens = registry.makeCounter(descriptor: tokens, labels: [("target", target), ("direction", "input")])
            outputTokens = registry.makeCounter(descriptor: tokens, labels: [("target", target), ("direction", "output")])
            cost = registry.makeCounter(descriptor: GatewayMetrics.name("estimated_cost_gbp", unit: "total",
                                                                        help: "Tokens times the target's configured prices, in GBP."),
                                        labels: [("target", target)])
            usageUnknown = registry.makeCounter(
                descriptor: GatewayMetrics.name("usage_unknown", unit: "total",
                                                help: "Answers that reported no token usage: their tokens and cost are unknown, not 0."),
                labels: [("target", target)])
        }
    }

    func target(_ name: String) -> TargetMetrics {
        if let metrics = targets.load(ordering: .acquiring).byName[name] { return metrics }
        return growing.withLock { _ in
            let current = targets.load(ordering: .acquiring)
            if let metrics = current.byName[name] { return metrics }
            let metrics = TargetMetrics(target: name, registry: registry)
            var byName = current.byName
            byName[name] = metrics
            targets.store(TargetTable(byName: byName), ordering: .releasing)
            return metrics
        }
    }

    /// An attempt the target answered (any status).
    func recordAnswered(_ target: String, status: Int, seconds: Double, firstTokenSeconds: Double?, usage: TokenUsage?,
                        cost: Decimal, afterFallback: Bool) {
        let metrics = self.target(target)
        switch status {
        case 200..<300: metrics.responses2xx.increment()
        case 400..<500: metrics.responses4xx.increment()
        default: metrics.responses5xx.increment()
        }
        if status >= 500 || status == 429 { metrics.errors.increment() }
        if (200..<300).contains(status) {
            metrics.duration.record(.nanoseconds(Int64(seconds * 1e9)))
            if let firstTokenSeconds { metrics.timeToFirstToken.record(.nanoseconds(Int64(firstTokenSeconds * 1e9))) }
            if afterFallback { metrics.fallbacks.increment() }
        }
        // Chat and embeddings answers all say their usage: one that does not is unknown, not free.
        if usage == nil, (200..<300).contains(status) { metrics.usageUnknown.increment() }
        if let usage {
            if usage.inputTokens > 0 { metrics.inputTokens.increment(by: Int64(usage.inputTokens)) }
            if usage.outputTokens > 0 { metrics.outputTokens.increment(by: Int64(usage.outputTokens)) }
            if cost > 0 { metrics.cost.increment(by: NSDecimalNumber(decimal: cost).doubleValue) }
        }
    }

    /// An attempt that got no answer.
    func recordUnanswered(_ target: String) {
        let metrics = self.target(target)
        metrics.unanswered.increment()
        metrics.errors.increment()
    }

    func recordOverhead(seconds: Double) {
        overhead.record(.nanoseconds(Int64(max(0, seconds) * 1e9)))
    }

    /// Prometheus text, with breaker gauges brought up to date first
    /// (an open breaker turns half-open by time, not by a request).
    public func exposition(health: TargetHealthBoard) -> [UInt8] {
        for state in health.states() {
            target(state.target).breakerState.set(Double(state.breaker.rawValue))
        }
        return registry.emitToBuffer()
    }

    private final class TargetTable: AtomicReference, Sendable {
        let byName: [String: TargetMetrics]
        init(byName: [String: TargetMetrics]) { self.byName = byName }
    }

    static func name(_ metric: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "qlp", subsystem: "gateway", metricName: metric, unitName: unit, helpText: help)
    }
}
