import Foundation
import QLPDashboard
import QLPGateway
import QLPRouting

/// The Models view's figures from the embedded gateway's health board: what
/// real traffic and the probes measured, per target, and each target's
/// condition judged from all of it.
struct GatewayTargetStats: GatewayStatsSource {
    let gateway: Gateway
    /// Writes the times in a reason, in the operator's zone.
    var format = DisplayFormat()

    func targetStats() async -> [ModelTargetStats] {
        let table = gateway.routes.snapshot.table
        let states = Dictionary(gateway.health.states().map { ($0.target, $0) }, uniquingKeysWith: { a, _ in a })
        // A target's observed share of the route it mostly serves: the first route listing it.
        return table.targets.map { target in
            let state = states[target.name]
            let route = table.routes.first { $0.targetNames.contains(target.name) }
            let share = route.map { gateway.traffic.shares(route: $0.name)[target.name] ?? 0 }
            let breaker: ModelTargetStats.Breaker = switch state?.breaker ?? .closed {
            case .closed: .closed
            case .halfOpen: .halfOpen
            case .open: .open
            }
            let condition = gateway.health.condition(of: target.name, latencySLOMilliseconds: target.latencySLOMilliseconds.map(Double.init))
            let judged: ModelTargetStats.Health = switch condition.state {
            case .ok: .ok
            case .slow: .slow
            case .degraded: .degraded
            case .down: .down
            case .unknown: .unknown
            }
            let health = table.isDrained(target.name) ? .drained : judged
            return ModelTargetStats(
                target: target.name, backend: target.backend == .azureOpenAI ? "azure-openai" : "ollama", state: health,
                reason: health == .drained ? "taken out of every route by an operator; its condition: \(condition.state.rawValue), "
                    + condition.explanation(time: { format.time($0) }) : condition.explanation(time: { format.time($0) }),
                since: health == .drained ? nil : condition.since,
                p50Milliseconds: state?.p50Milliseconds, p95Milliseconds: state?.p95Milliseconds,
                p99Milliseconds: state?.p99Milliseconds,
                // Measured first tokens only (streamed answers, chat probes): a whole-body latency is not a TTFT.
                ttftMilliseconds: state?.timeToFirstTokenMilliseconds, tokensPerSecond: state?.outputTokensPerSecond,
                errorRate: state.map(\.errorRate), breaker: breaker,
                inputCostPer1K: target.inputCostPer1K, outputCostPer1K: target.outputCostPer1K, observedShare: share,
                lastProbe: state?.lastProbeAt)
        }
    }
}
