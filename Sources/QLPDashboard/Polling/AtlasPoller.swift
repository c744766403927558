import Foundation
import Logging
import QLPAzure
import QLPCore

/// Keeps the MongoDB Atlas credit position: closed invoices' credits plus the
/// pending invoice, against the £500 at the configured rate.
public struct AtlasPoller: DashboardPoller {
    public var client: AtlasBillingClient
    public var store: DashboardStateStore
    public var interval: Duration
    public var wake: WakeSignal
    public var clock: @Sendable () -> Date
    public var logger: Logger

    public init(client: AtlasBillingClient, store: DashboardStateStore, interval: Duration, wake: WakeSignal,
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "qlp.poller.atlas")) {
        self.client = client
        self.store = store
        self.interval = interval
        self.wake = wake
        self.clock = clock
        self.logger = logger
    }

    public func run() async {
        while !Task.isCancelled {
            let delay = await refresh()
            await wake.wait(for: delay)
        }
    }

    /// One refresh; returns the wait before the next.
    @discardableResult
    public func refresh() async -> Duration {
        store.update { $0.atlas.refreshing = true }
        let now = clock()
        do {
            let closed = try await client.invoices()
            let pending = try await client.pendingInvoice()
            let plan = store.state.plan
            let use = try AtlasCreditUse.compute(closed: closed.map(\.creditTotals), pending: pending.creditTotals, plan: plan,
                                                 today: CostPoller.today(plan: plan, at: now))
            store.update { state in
                state.atlas.succeed(use, at: now)
                state.atlas.refreshing = false
            }
            return interval
        } catch let error as AzureError {
            var until: Date?
            var delay = min(interval, .seconds(60))
            if case .throttled(_, _, let retryAfter, _) = error {
                until = now.addingTimeInterval(CostPoller.seconds(retryAfter))
                delay = max(retryAfter + .milliseconds(500), .seconds(5))
            }
            store.update {
                $0.atlas.fail(.init(summary: error.summary, detail: error.description, at: now,
                                    nextAttempt: now.addingTimeInterval(CostPoller.seconds(delay)), throttledUntil: until))
            }
            logger.warning("Atlas refresh failed", metadata: ["error": "\(error)"])
            return delay
        } catch {
            // A configuration problem (no rate, no grant): say so, and look again later.
            store.update {
                $0.atlas.fail(.init(summary: "\(error)", detail: "\(error)", at: now, nextAttempt: now.addingTimeInterval(CostPoller.seconds(interval))))
            }
            return interval
        }
    }
}
