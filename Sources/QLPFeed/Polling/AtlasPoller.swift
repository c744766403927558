import Foundation
import Logging
import QLPAzure
import QLPCore

/// Keeps the MongoDB Atlas credit position: closed invoices' credits plus the
/// pending invoice, against the £500 at the configured rate.
public struct AtlasPoller: FeedPoller {
    public var client: AtlasBillingClient
    public var store: any FeedStore
    public var interval: Duration
    public var wake: WakeSignal
    public var clock: @Sendable () -> Date
    public var logger: Logger

    public init(
        client: AtlasBillingClient, store: any FeedStore, interval: Duration, wake: WakeSignal,
        clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "qlp.poller.atlas")
    ) {
        self.client = client
        self.store = store
        self.interval = interval
        self.wake = wake
        self.clock = clock
        self.logger = logger
    }

    /// The refresh schedule at start, at this poller's interval.
    public var startingSchedule: PollSchedule { PollSchedule(interval: interval) }

    public func run() async {
        var schedule = startingSchedule
        while !Task.isCancelled {
            let delay = await refresh(schedule: &schedule)
            await wake.wait(for: delay)
        }
    }

    /// One refresh; returns the wait before the next.
    @discardableResult
    public func refresh(schedule: inout PollSchedule) async -> Duration {
        store.updateFeed { $0.atlas.refreshing = true }
        let now = clock()
        do {
            let closed = try await client.invoices()
            let pending = try await client.pendingInvoice()
            let plan = store.feed.plan
            let use = try AtlasCreditUse.compute(
                closed: closed.map(\.creditTotals), pending: pending.creditTotals, plan: plan,
                today: CostPoller.today(plan: plan, at: now))
            store.updateFeed { state in
                state.atlas.succeed(use, at: now)
                state.atlas.refreshing = false
            }
            return schedule.succeeded()
        } catch let error as AzureError {
            let delay = schedule.failed(retryAfter: error.retryAfter)
            let until = error.retryAfter.map { now.addingTimeInterval(CostPoller.seconds($0)) }
            store.updateFeed {
                $0.atlas.fail(
                    .init(
                        summary: error.summary, detail: error.description, at: now,
                        nextAttempt: now.addingTimeInterval(CostPoller.seconds(delay)), throttledUntil: until))
            }
            logger.warning("Atlas refresh failed", metadata: ["error": "\(error)"])
            return delay
        } catch {
            // A configuration problem (no rate, no grant): say so, and look again later.
            let delay = schedule.failedForGood()
            store.updateFeed {
                $0.atlas.fail(
                    .init(summary: "\(error)", detail: "\(error)", at: now, nextAttempt: now.addingTimeInterval(CostPoller.seconds(delay))))
            }
            return delay
        }
    }
}
