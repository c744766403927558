import Foundation
import QLPCore
import QLPDashboard
import QLPFeed
import QLPGateway

/// The routing alerts of every attached replica (/admin/alerts: budget rules
/// fired and cleared) in the Alerts view. Replicas sharing one store report
/// the same rule's firing each: an entry is shown once, whichever replica said it.
struct FleetAlertFeed: FeedPoller {
    let fleet: AttachedFleet
    let publish: @Sendable ([Alert]) -> Void
    let wake = WakeSignal()
    var interval: Duration = .seconds(2)

    func run() async {
        var last: [Alert]?
        while !Task.isCancelled {
            let answers = await fleet.each { client throws(AdminAPIError) in try await client.alerts() }
            // Only when at least one replica answered: none answering is not "no alerts".
            let known = answers.compactMap { try? $0.get().alerts }
            if !known.isEmpty {
                let alerts = Self.alerts(known)
                if alerts != last {
                    last = alerts
                    publish(alerts)
                }
            }
            await wake.wait(for: interval)
        }
    }

    /// Each replica's routing alerts (oldest first) as one de-duplicated list,
    /// oldest first: the same moment, severity and words are one alert.
    static func alerts(_ replicas: [[RoutingAlert]]) -> [Alert] {
        var seen = Set<String>()
        var merged: [RoutingAlert] = []
        for alert in replicas.joined() {
            let key = Self.key(alert)
            if seen.insert(key).inserted { merged.append(alert) }
        }
        return merged.sorted { $0.at < $1.at }.map { alert in
            let severity: AlertSeverity =
                switch alert.severity {
                case .info: .info
                case .warning: .warning
                case .critical: .critical
                }
            return Alert(key: key(alert), severity: severity, source: .routing, text: alert.text, at: alert.at)
        }
    }

    /// Stable across polls and replicas: whole seconds, so two replicas' clocks' fractions do not split one alert in two.
    static func key(_ alert: RoutingAlert) -> String {
        "routing.fleet.\(Int(alert.at.timeIntervalSince1970)).\(alert.severity.rawValue).\(alert.text)"
    }
}
