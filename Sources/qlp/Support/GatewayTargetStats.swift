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
        gateway.targetStats().map { ModelTargetStats($0, format: format) }
    }
}

extension ModelTargetStats {
    /// A gateway's figures for one target (in this process or a replica's
    /// /admin/targets) as the Models view shows them, the reason worded in the operator's zone.
    init(_ view: TargetStatsView, format: DisplayFormat) {
        let breaker: ModelTargetStats.Breaker =
            switch view.breaker {
            case .closed: .closed
            case .halfOpen: .halfOpen
            case .open: .open
            }
        let condition = view.condition
        let judged: ModelTargetStats.Health =
            switch condition.state {
            case .ok: .ok
            case .slow: .slow
            case .degraded: .degraded
            case .down: .down
            case .unknown: .unknown
            }
        let health = view.drained ? .drained : judged
        let explanation = condition.explanation(time: { format.time($0) })
        self.init(
            target: view.target, backend: view.backend == .azureOpenAI ? "azure-openai" : "ollama", state: health,
            reason: health == .drained
                ? "taken out of every route by an operator; its condition: \(condition.state.rawValue), "
                    + explanation : explanation,
            since: health == .drained ? nil : condition.since,
            p50Milliseconds: view.p50Milliseconds, p95Milliseconds: view.p95Milliseconds, p99Milliseconds: view.p99Milliseconds,
            ttftMilliseconds: view.ttftMilliseconds, tokensPerSecond: view.tokensPerSecond, errorRate: view.errorRate,
            breaker: breaker, inputCostPer1K: view.inputCostPer1K, outputCostPer1K: view.outputCostPer1K,
            observedShare: view.observedShare, lastProbe: view.lastProbe)
    }
}
