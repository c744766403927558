import Foundation
import QLPCore

/// One admitted request's bill: when it ends, its tokens and cost count
/// against its key, go to the usage ledger (queued, never waited on) and to
/// the per-key metrics. Every way out of the forwarder finishes it once.
struct RequestAccount: Sendable {
    let gateway: Gateway
    let caller: KeyGate.Caller
    let reservation: KeyUsage.Reservation
    let route: String
    /// Wall-clock arrival, for the ledger row.
    let arrived: Date
    /// Monotonic arrival, for the latency.
    let started: Double

    func finish(
        target: String, model: String, tokens: TokenCounts?, cost: Decimal?, status: Int, attempts: Int,
        firstTokenSeconds: Double? = nil
    ) {
        gateway.keys.settle(caller, reservation, route: route, tokens: tokens, cost: cost)
        let name = caller.name
        gateway.metrics.recordKeyRequest(key: name, route: route, status: status, tokens: tokens, cost: cost)
        gateway.usageLedger?.record(
            UsageRecord(
                time: arrived, keyName: name, route: route, target: target, model: model, tokens: tokens, cost: cost,
                latencyMilliseconds: (MonotonicClock.now - started) * 1000, firstTokenMilliseconds: firstTokenSeconds.map { $0 * 1000 },
                status: status, attempts: attempts))
    }
}
