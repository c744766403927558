import Foundation
import QLPFeed

/// Keeps the attached replicas' statuses for the Routing view's fleet line,
/// as often as the routes themselves are fetched.
public struct FleetPoller: FeedPoller {
    public var source: any FleetStatusSource
    public var store: DashboardStateStore
    public var interval: RefreshInterval
    public var wake: WakeSignal

    public init(source: any FleetStatusSource, store: DashboardStateStore, interval: RefreshInterval, wake: WakeSignal) {
        self.source = source
        self.store = store
        self.interval = interval
        self.wake = wake
    }

    public func run() async {
        while !Task.isCancelled {
            let replicas = await source.replicas()
            store.update { $0.fleet = replicas }
            await wake.wait(for: interval.current)
        }
    }
}
