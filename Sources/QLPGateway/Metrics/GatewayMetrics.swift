import Foundation
import Prometheus
import QLPCore
import QLPRouting
import QLPStore
import Synchronization

/// The gateway's Prometheus metrics. Each target's metric objects are made
/// once, the first time the target is used, and found again with one atomic
/// load; a request only increments and records.
public final class GatewayMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let overhead: DurationHistogram
    private let targets = MetricObjects<TargetMetrics>()
    private let keyRoutes = MetricObjects<KeyRouteMetrics>(limit: maxKeyRoutePairs)
    private let keyRefusals = MetricObjects<KeyRefusalMetrics>(limit: maxKeyRoutePairs)
    private let unauthorized: Counter
    private let clientAnswers = MetricObjects<Counter>(limit: maxClientAnswerSeries)
    /// Rows written, dropped and lost by the usage ledger, as last exposed (counters move by the difference).
    private let ledgerExposed = Mutex(UsageLedgerWriter.Counts())
    private let ledgerWritten: Counter
    private let ledgerDropped: Counter
    private let ledgerFailed: Counter

    /// Key × route label pairs (and keys with refusals) beyond this are
    /// counted under the key name `other`, so a store of thousands of keys
    /// cannot blow up the series.
    static let maxKeyRoutePairs = 500
    /// Route × status label pairs of qlp_gateway_requests_total beyond this
    /// share route="other" (routes come from the table, statuses from
    /// upstreams: both bounded, this bounds their product too).
    static let maxClientAnswerSeries = 1000

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
        unauthorized = registry.makeCounter(
            descriptor: Self.name(
                "unauthorized_requests", unit: "total", help: "Requests refused with 401: no key, or an unknown, revoked or expired one."))
        let ledger = Self.name(
            "usage_ledger_rows", unit: "total",
            help: "Usage ledger rows by outcome: written, dropped (queue full) or failed (the database refused them).")
        ledgerWritten = registry.makeCounter(descriptor: ledger, labels: [("outcome", "written")])
        ledgerDropped = registry.makeCounter(descriptor: ledger, labels: [("outcome", "dropped")])
        ledgerFailed = registry.makeCounter(descriptor: ledger, labels: [("outcome", "failed")])
        // The Prometheus convention for a build's identity: a constant 1 whose labels carry it.
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "qlp", metricName: "build_info", unitName: "",
                helpText: "The running qlp's version (always 1)."),
            labels: [("version", QLPVersion.current)]
        ).set(1.0)
    }

    /// What a client got for one request to the OpenAI-compatible API: the
    /// route that served it ("none" when no route took it: refused before
    /// routing, unknown model) and the HTTP status it was answered with.
    func recordClientAnswer(route: String, status: Int) {
        let code = String(status)
        clientAnswers.objects(route + "\u{0}" + code, overflowKey: "other\u{0}" + code) { overflowed in
            registry.makeCounter(
                descriptor: Self.name(
                    "requests", unit: "total",
                    help: "Requests to the OpenAI-compatible API by the route that served them and the HTTP status the client got."),
                labels: [("route", overflowed ? "other" : route), ("code", code)])
        }.increment()
    }

    /// One key's metric objects on one route.
    final class KeyRouteMetrics: Sendable {
        let requests2xx: Counter
        let requestsError: Counter
        let inputTokens: Counter
        let outputTokens: Counter
        let cost: Counter

        init(key: String, route: String, registry: PrometheusCollectorRegistry) {
            let requests = GatewayMetrics.name(
                "key_requests", unit: "total",
                help: "Requests per client key and route that reached an upstream, by outcome.")
            requests2xx = registry.makeCounter(descriptor: requests, labels: [("key", key), ("route", route), ("outcome", "ok")])
            requestsError = registry.makeCounter(descriptor: requests, labels: [("key", key), ("route", route), ("outcome", "error")])
            let tokens = GatewayMetrics.name("key_tokens", unit: "total", help: "Tokens per client key and route, from upstream usage.")
            inputTokens = registry.makeCounter(descriptor: tokens, labels: [("key", key), ("route", route), ("direction", "input")])
            outputTokens = registry.makeCounter(descriptor: tokens, labels: [("key", key), ("route", route), ("direction", "output")])
            cost = registry.makeCounter(
                descriptor: GatewayMetrics.name(
                    "key_estimated_cost_gbp", unit: "total",
                    help: "Tokens times the targets' configured prices, per client key and route."),
                labels: [("key", key), ("route", route)])
        }
    }

    /// One key's refusal counters, one per reason.
    final class KeyRefusalMetrics: Sendable {
        let route: Counter
        let requestRate: Counter
        let tokenRate: Counter
        let budget: Counter

        init(key: String, registry: PrometheusCollectorRegistry) {
            let refusals = GatewayMetrics.name(
                "key_refusals", unit: "total",
                help: "Requests refused by a client key's limits, by reason (route, rpm, tpm, budget).")
            func counter(_ reason: String) -> Counter {
                registry.makeCounter(descriptor: refusals, labels: [("key", key), ("reason", reason)])
            }
            route = counter("route")
            requestRate = counter("rpm")
            tokenRate = counter("tpm")
            budget = counter("budget")
        }
    }

    func keyRoute(_ key: String, _ route: String) -> KeyRouteMetrics {
        keyRoutes.objects(key + "\u{0}" + route, overflowKey: "other\u{0}" + route) { overflowed in
            KeyRouteMetrics(key: overflowed ? "other" : key, route: route, registry: registry)
        }
    }

    /// A request of a key that reached the forwarder's end (answered, refused upstream, or no upstream).
    func recordKeyRequest(key: String, route: String, status: Int, tokens: TokenCounts?, cost: Decimal?) {
        let metrics = keyRoute(key, route)
        if (200..<300).contains(status) { metrics.requests2xx.increment() } else { metrics.requestsError.increment() }
        if let tokens {
            if tokens.input > 0 { metrics.inputTokens.increment(by: Int64(tokens.input)) }
            if tokens.output > 0 { metrics.outputTokens.increment(by: Int64(tokens.output)) }
        }
        if let cost, cost > 0 { metrics.cost.increment(by: NSDecimalNumber(decimal: cost).doubleValue) }
    }

    /// A request a key's limits refused before any upstream was called.
    func recordKeyRefusal(key: String, _ refusal: KeyRefusal) {
        let metrics = keyRefusals.objects(key, overflowKey: "other") { overflowed in
            KeyRefusalMetrics(key: overflowed ? "other" : key, registry: registry)
        }
        switch refusal {
        case .routeNotAllowed: metrics.route.increment()
        case .requestRate: metrics.requestRate.increment()
        case .tokenRate: metrics.tokenRate.increment()
        case .budget: metrics.budget.increment()
        }
    }

    func recordUnauthorized() { unauthorized.increment() }

    /// One target's metric objects.
    final class TargetMetrics: Sendable {
        let responses2xx: Counter
        let responses4xx: Counter
        let responses5xx: Counter
        let unanswered: Counter
        let errors: Counter
        let duration: DurationHistogram
        let timeToFirstToken: DurationHistogram
        /// qlp_gateway_breaker_state{state}: 1 for the breaker's state, 0 for the others.
        let breakerStates: [(state: CircuitBreaker.State, gauge: Gauge)]
        let fallbacks: Counter
        let inputTokens: Counter
        let outputTokens: Counter
        let cost: Counter
        /// Answers (2xx) that said nothing of their tokens: counted as unknown, never as 0.
        let usageUnknown: Counter

        init(target: String, registry: PrometheusCollectorRegistry) {
            let requests = GatewayMetrics.name(
                "upstream_requests", unit: "total",
                help: "Upstream attempts per target, by the status class the target answered (none: no answer).")
            func requestCounter(_ statusClass: String) -> Counter {
                registry.makeCounter(descriptor: requests, labels: [("target", target), ("status_class", statusClass)])
            }
            responses2xx = requestCounter("2xx")
            responses4xx = requestCounter("4xx")
            responses5xx = requestCounter("5xx")
            unanswered = requestCounter("none")
            errors = registry.makeCounter(
                descriptor: GatewayMetrics.name(
                    "upstream_errors", unit: "total",
                    help: "Failed upstream attempts (connect error, timeout, 5xx, 429)."),
                labels: [("target", target)])
            duration = registry.makeDurationHistogram(
                descriptor: GatewayMetrics.name(
                    "upstream_request_duration", unit: "seconds",
                    help: "Upstream time of answered requests (to the last byte for non-streaming)."),
                labels: [("target", target)], buckets: GatewayMetrics.latencyBuckets)
            timeToFirstToken = registry.makeDurationHistogram(
                descriptor: GatewayMetrics.name(
                    "upstream_time_to_first_token", unit: "seconds",
                    help: "Time to the first streamed chunk of streaming requests."),
                labels: [("target", target)], buckets: GatewayMetrics.latencyBuckets)
            let breaker = GatewayMetrics.name(
                "breaker_state", unit: "", help: "Circuit breaker state per target: 1 for the state it is in, 0 for the others.")
            breakerStates = [CircuitBreaker.State.closed, .halfOpen, .open].map { state in
                (state: state, gauge: registry.makeGauge(descriptor: breaker, labels: [("target", target), ("state", state.metricLabel)]))
            }
            fallbacks = registry.makeCounter(
                descriptor: GatewayMetrics.name(
                    "fallbacks", unit: "total",
                    help: "Requests this target served after another target failed."),
                labels: [("target", target)])
            let tokens = GatewayMetrics.name("tokens", unit: "total", help: "Tokens reported in upstream usage.")
            inputTokens = registry.makeCounter(descriptor: tokens, labels: [("target", target), ("direction", "input")])
            outputTokens = registry.makeCounter(descriptor: tokens, labels: [("target", target), ("direction", "output")])
            cost = registry.makeCounter(
                descriptor: GatewayMetrics.name(
                    "estimated_cost_gbp", unit: "total",
                    help: "Tokens times the target's configured prices, in GBP."),
                labels: [("target", target)])
            usageUnknown = registry.makeCounter(
                descriptor: GatewayMetrics.name(
                    "usage_unknown", unit: "total",
                    help: "Answers that reported no token usage: their tokens and cost are unknown, not 0."),
                labels: [("target", target)])
        }
    }

    func target(_ name: String) -> TargetMetrics {
        targets.objects(name, overflowKey: name) { _ in TargetMetrics(target: name, registry: registry) }
    }

    /// An attempt the target answered (any status).
    func recordAnswered(
        _ target: String, status: Int, seconds: Double, firstTokenSeconds: Double?, usage: TokenCounts?,
        cost: Decimal, afterFallback: Bool
    ) {
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
            if usage.input > 0 { metrics.inputTokens.increment(by: Int64(usage.input)) }
            if usage.output > 0 { metrics.outputTokens.increment(by: Int64(usage.output)) }
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
    public func exposition(health: TargetHealthBoard, ledger: UsageLedgerWriter? = nil) -> [UInt8] {
        for state in health.states() {
            for (candidate, gauge) in target(state.target).breakerStates { gauge.set(candidate == state.breaker ? 1.0 : 0.0) }
        }
        if let ledger {
            let now = ledger.counts
            let before = ledgerExposed.withLock { exposed in
                defer { exposed = now }
                return exposed
            }
            if now.written > before.written { ledgerWritten.increment(by: Int64(now.written - before.written)) }
            if now.dropped > before.dropped { ledgerDropped.increment(by: Int64(now.dropped - before.dropped)) }
            if now.failed > before.failed { ledgerFailed.increment(by: Int64(now.failed - before.failed)) }
        }
        return registry.emitToBuffer()
    }

    static func name(_ metric: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "qlp", subsystem: "gateway", metricName: metric, unitName: unit, helpText: help)
    }
}

extension CircuitBreaker.State {
    /// The `state` label of qlp_gateway_breaker_state.
    var metricLabel: String {
        switch self {
        case .closed: "closed"
        case .halfOpen: "half_open"
        case .open: "open"
        }
    }
}
