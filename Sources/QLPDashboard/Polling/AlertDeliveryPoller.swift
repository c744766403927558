import Foundation
import Logging
import QLPFeed
import QLPStore

/// Reads where each alert's notifications stand from the outbox, for the
/// Alerts view's DELIVERY column: sent, retrying (with why), failed (with why).
public struct AlertDeliveryPoller: FeedPoller {
    public let outbox: NotificationOutbox
    public let store: DashboardStateStore
    public let wake = WakeSignal()
    public var interval: Duration = .seconds(2)
    public var logger = Logger(label: "qlp.poller.deliveries")

    public init(outbox: NotificationOutbox, store: DashboardStateStore) {
        self.outbox = outbox
        self.store = store
    }

    public func run() async {
        store.update { $0.notificationsConfigured = true }
        var last: [String: [SinkDelivery]]?
        while !Task.isCancelled {
            do {
                let states = try outbox.latestStates()
                // An update redraws the screen: only when something moved.
                if states != last {
                    last = states
                    store.update { $0.alertDeliveries = states }
                }
            } catch {
                logger.error("cannot read the notification outbox", metadata: ["error": "\(error)"])
            }
            await wake.wait(for: interval)
        }
    }
}
