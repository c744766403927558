import Foundation
import Logging
import QLPAzure
import QLPCore
import QLPFeed
import QLPGateway
import Synchronization

/// What a headless `qlp gateway` runs beside its stack: the spend feed (when
/// budget rules or notifications need it), the gateway's alerts, and the alert
/// watch that hands each raised or cleared condition on. Built from the feed
/// layer alone: no dashboard type can be named here.
public struct GatewayOperations: Sendable {
    let task: Task<Void, Never>
    /// The spend read, when it is.
    public let spend: FeedStateStore?

    /// - Parameters:
    ///   - readSpend: why spend must be read (budget rules, budget alerts to notify), or nil when nothing needs it.
    ///   - tracker: the conditions open when the last run stopped.
    ///   - deliver: where transitions go.
    public static func start(
        _ configuration: QLPConfiguration, azure: Result<AzureSettings?, any Error>, stack: GatewayStack,
        environment: [String: String], logger: Logger, readSpend why: String?,
        tracker: AlertTracker = AlertTracker(), alertInterval: Duration = .seconds(2),
        deliver: @escaping @Sendable ([AlertTransition]) async -> Void
    ) -> GatewayOperations {
        let spend = why.flatMap {
            GatewaySpendFeed.open(configuration, azure: azure, environment: environment, logger: logger, why: $0)
        }
        let board = GatewayAlertBoard()
        let gatewayAlerts = GatewayAlertFeed(
            authority: stack.authority, gateway: stack.gateway, feed: spend?.store,
            interval: alertInterval
        ) { board.alerts = $0 }
        let feed = spend?.store
        let watch = AlertWatch(
            tracker: tracker, interval: alertInterval,
            current: {
                // The gateway's own alerts are known once its feed has published; spend once it is read.
                let gateway: Set<AlertSource> = board.published ? [.gateway, .routing] : []
                guard let feed else { return AlertEvaluation(alerts: board.alerts, covered: gateway) }
                let state = feed.feed
                return AlertEvaluation(
                    alerts: AlertRules.evaluate(state, external: board.alerts, now: Date()),
                    covered: gateway.union(AlertRules.coverage(state)))
            }, deliver: deliver)
        let pollers: [any FeedPoller] = (spend?.pollers ?? []) + [gatewayAlerts, watch]
        let task = Task {
            await withDiscardingTaskGroup { group in
                for poller in pollers { group.addTask { await poller.run() } }
            }
            spend?.close()
        }
        return GatewayOperations(task: task, spend: feed)
    }

    public func stop() async {
        task.cancel()
        await task.value
    }
}

/// The gateway's latest alerts, written by its alert feed, read by the watch.
final class GatewayAlertBoard: Sendable {
    private let latest = Mutex<(alerts: [Alert], published: Bool)>(([], false))

    var alerts: [Alert] {
        get { latest.withLock { $0.alerts } }
        set { latest.withLock { $0 = (newValue, true) } }
    }

    /// Whether the feed has published once: until then the gateway's alerts are unknown.
    var published: Bool { latest.withLock { $0.published } }
}
