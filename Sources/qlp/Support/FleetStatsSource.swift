import Foundation
import QLPDashboard
import QLPGateway

/// The Models view over a running fleet: every replica's /admin/targets
/// merged into one figure per target (`TargetStatsView.merged` says how:
/// counts added, p50 a request-weighted mean, p95 the worst replica's).
/// A replica that does not answer is left out; the fleet line says it is down.
struct FleetStatsSource: GatewayStatsSource {
    let fleet: AttachedFleet
    /// Writes the times in a reason, in the operator's zone.
    var format = DisplayFormat()

    func targetStats() async -> [ModelTargetStats] {
        let answers = await fleet.each { client throws(AdminAPIError) in try await client.targets() }
        return TargetStatsView.merged(answers.compactMap { try? $0.get().targets }).map { ModelTargetStats($0, format: format) }
    }
}
