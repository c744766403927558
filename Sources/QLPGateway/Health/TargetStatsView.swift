import Foundation
import QLPRouting

/// One target's figures as this gateway measured them: what the Models view
/// shows, read in-process by `qlp dash`/`qlp demo` and over `GET /admin/targets`
/// by `qlp dash --attach`. The condition travels as its typed value, so each
/// reader words the reason in its own operator's time zone.
public struct TargetStatsView: Sendable, Equatable, Codable {
    public var target: String
    public var backend: RouteTarget.Backend
    /// An operator took it out of every route.
    public var drained: Bool
    public var condition: TargetCondition
    public var breaker: CircuitBreaker.State
    /// Client traffic only (probes excluded).
    public var requests: Int
    public var errors: Int
    public var p50Milliseconds: Double?
    public var p95Milliseconds: Double?
    public var p99Milliseconds: Double?
    public var ttftMilliseconds: Double?
    public var tokensPerSecond: Double?
    /// 0...1 over the recent attempts; nil before any.
    public var errorRate: Double?
    public var inputCostPer1K: Decimal?
    public var outputCostPer1K: Decimal?
    /// The route it mostly serves (the first listing it), its share of that
    /// route's recent requests, and how many requests that share rests on.
    public var route: String?
    public var observedShare: Double?
    public var routeRequests: Int
    public var lastProbe: Date?

    enum CodingKeys: String, CodingKey {
        case target, backend, drained, condition, breaker, requests, errors, route
        case p50Milliseconds = "p50_ms"
        case p95Milliseconds = "p95_ms"
        case p99Milliseconds = "p99_ms"
        case ttftMilliseconds = "ttft_ms"
        case tokensPerSecond = "tokens_per_second"
        case errorRate = "error_rate"
        case inputCostPer1K = "input_cost_per_1k"
        case outputCostPer1K = "output_cost_per_1k"
        case observedShare = "observed_share"
        case routeRequests = "route_requests"
        case lastProbe = "last_probe"
    }
}

extension Gateway {
    /// Every target of the table in force, in the table's order, from the health board and the traffic window.
    public func targetStats() -> [TargetStatsView] {
        let table = routes.snapshot.table
        let states = Dictionary(health.states().map { ($0.target, $0) }, uniquingKeysWith: { a, _ in a })
        return table.targets.map { target in
            let state = states[target.name]
            let route = table.routes.first { $0.targetNames.contains(target.name) }
            let observed = route.map { traffic.observed(route: $0.name) }
            return TargetStatsView(
                target: target.name, backend: target.backend, drained: table.isDrained(target.name),
                condition: health.condition(of: target.name, latencySLOMilliseconds: target.latencySLOMilliseconds.map(Double.init)),
                breaker: state?.breaker ?? .closed, requests: state?.requests ?? 0, errors: state?.errors ?? 0,
                p50Milliseconds: state?.p50Milliseconds, p95Milliseconds: state?.p95Milliseconds,
                p99Milliseconds: state?.p99Milliseconds,
                // Measured first tokens only (streamed answers, chat probes): a whole-body latency is not a TTFT.
                ttftMilliseconds: state?.timeToFirstTokenMilliseconds, tokensPerSecond: state?.outputTokensPerSecond,
                errorRate: state.map(\.errorRate), inputCostPer1K: target.inputCostPer1K, outputCostPer1K: target.outputCostPer1K,
                route: route?.name, observedShare: observed.map { $0.shares[target.name] ?? 0 }, routeRequests: observed?.requests ?? 0,
                lastProbe: state?.lastProbeAt)
        }
    }
}

extension TargetStatsView {
    /// Several replicas' figures for the same targets as one fleet's: counts
    /// added; p50, TTFT, tokens/s and the error rate as means weighted by each
    /// replica's requests (a mean of medians is not the fleet's median, but
    /// without the samples it is the closest honest figure, and it leans on
    /// the replicas that served the traffic); p95 and p99 as the worst
    /// replica's, because a tail hidden on one replica is still a tail users
    /// hit; the observed share weighted by the route's requests on each
    /// replica; the worst condition and breaker, so one sick replica shows.
    /// Targets keep the first replica's order; one only some replicas know comes after.
    public static func merged(_ replicas: [[TargetStatsView]]) -> [TargetStatsView] {
        var order: [String] = []
        var byTarget: [String: [TargetStatsView]] = [:]
        for replica in replicas {
            for view in replica {
                if byTarget[view.target] == nil { order.append(view.target) }
                byTarget[view.target, default: []].append(view)
            }
        }
        return order.compactMap { name in byTarget[name].flatMap(merge) }
    }

    private static func merge(_ views: [TargetStatsView]) -> TargetStatsView? {
        guard var merged = views.first else { return nil }
        guard views.count > 1 else { return merged }
        let worst = views.max { severity($0.condition.state) < severity($1.condition.state) } ?? merged
        merged.condition = worst.condition
        merged.breaker = views.map(\.breaker).max { $0.rawValue < $1.rawValue } ?? .closed
        merged.drained = views.contains { $0.drained }
        merged.requests = views.map(\.requests).reduce(0, +)
        merged.errors = views.map(\.errors).reduce(0, +)
        merged.p50Milliseconds = weightedMean(views.map { ($0.p50Milliseconds, $0.requests) })
        merged.ttftMilliseconds = weightedMean(views.map { ($0.ttftMilliseconds, $0.requests) })
        merged.tokensPerSecond = weightedMean(views.map { ($0.tokensPerSecond, $0.requests) })
        merged.errorRate = weightedMean(views.map { ($0.errorRate, $0.requests) })
        merged.p95Milliseconds = views.compactMap(\.p95Milliseconds).max()
        merged.p99Milliseconds = views.compactMap(\.p99Milliseconds).max()
        merged.routeRequests = views.map(\.routeRequests).reduce(0, +)
        merged.observedShare = weightedMean(views.map { ($0.observedShare, $0.routeRequests) })
        merged.lastProbe = views.compactMap(\.lastProbe).max()
        return merged
    }

    /// Mean of the known values weighted by their counts; where no value has a
    /// count (an idle fleet), the plain mean of the known ones; nil when none is known.
    static func weightedMean(_ values: [(Double?, Int)]) -> Double? {
        let known = values.compactMap { value, weight in value.map { ($0, max(0, weight)) } }
        guard !known.isEmpty else { return nil }
        let total = known.map(\.1).reduce(0, +)
        guard total > 0 else { return known.map(\.0).reduce(0, +) / Double(known.count) }
        return known.map { $0.0 * Double($0.1) }.reduce(0, +) / Double(total)
    }

    /// How bad a condition is, for picking the fleet's worst.
    private static func severity(_ state: TargetCondition.State) -> Int {
        switch state {
        case .ok: 0
        case .unknown: 1
        case .slow: 2
        case .degraded: 3
        case .down: 4
        }
    }
}
