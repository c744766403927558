import Foundation
import Logging
import QLPAzure
import QLPCore
import QLPStore

/// Keeps the cost panel current: asks Cost Management for daily cost per
/// service over the credit period (and the whole current month), turns it
/// into the budget picture, saves it, and on failure keeps the last good data
/// marked stale with the reason, retrying with backoff.
public struct CostPoller: Sendable {
    public var client: CostManagementClient
    public var scope: String
    public var store: any FeedStore
    public var history: (any CostHistory)?
    public var interval: Duration
    public var wake: WakeSignal
    public var clock: @Sendable () -> Date
    /// How a refresh waits out a hold met part-way through a paged query
    /// (tests pass one that moves their clock).
    public var sleep: @Sendable (Duration) async throws -> Void
    public var logger: Logger

    /// The most one refresh waits out holds met after its first page before
    /// it gives up (and its pages): a query of any length completes well inside it
    /// (500 pages at 30 a minute is 17 minutes).
    public static let pagingWaitLimit: Duration = .seconds(3600)

    public init(
        client: CostManagementClient, scope: String, store: any FeedStore, history: (any CostHistory)?,
        interval: Duration, wake: WakeSignal, clock: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        logger: Logger = Logger(label: "qlp.poller.cost")
    ) {
        self.client = client
        self.scope = scope
        self.store = store
        self.history = history
        self.interval = interval
        self.wake = wake
        self.clock = clock
        self.sleep = sleep
        self.logger = logger
    }

    /// Runs until the task is cancelled.
    /// The refresh schedule at start, at this poller's interval.
    public var startingSchedule: PollSchedule { PollSchedule(interval: interval) }

    public func run() async {
        loadCache()
        var schedule = startingSchedule
        while !Task.isCancelled {
            let delay = await refreshRecordingFailure(schedule: &schedule)
            await wake.wait(for: delay)
        }
    }

    /// One refresh; a failure is recorded on the panel (last good data kept,
    /// marked stale with the reason).
    /// - Returns: how long to wait before the next attempt.
    public func refreshRecordingFailure(schedule: inout PollSchedule) async -> Duration {
        do {
            try await refresh()
            return schedule.succeeded()
        } catch {
            let delay = schedule.failed(retryAfter: error.retryAfter)
            let now = clock()
            var throttledUntil: Date?
            var throttleReason: HoldReason?
            if case .throttled(_, _, let retryAfter, let reason) = error {
                throttledUntil = now.addingTimeInterval(Self.seconds(retryAfter))
                throttleReason = reason
            }
            let problem = PanelData<CostPanel>.Problem(
                summary: error.summary, detail: error.description, at: now,
                nextAttempt: now.addingTimeInterval(Self.seconds(delay)),
                throttledUntil: throttledUntil, throttleReason: throttleReason)
            store.updateFeed { $0.cost.fail(problem) }
            logger.warning("cost refresh failed", metadata: ["error": "\(error)", "retry_in_s": "\(delay.components.seconds)"])
            return delay
        }
    }

    /// One fetch; updates the state on success and throws on failure.
    public func refresh() async throws(AzureError) {
        store.updateFeed { $0.cost.refreshing = true }
        let plan = store.feed.plan
        let today = Self.today(plan: plan, at: clock())
        let range = Self.queryRange(plan: plan, today: today)
        var costs: [DailyCost] = []
        var pages = 0
        let client = pagingClient()
        // Cost Management refuses custom periods longer than a year.
        for chunk in range.chunks(maxDays: 365) {
            let result = try await client.dailyCostsByService(scope: scope, from: chunk.first, to: chunk.last)
            costs += result.costs
            pages += result.pages
        }
        if let foreign = costs.first(where: { $0.currency != plan.currency }) {
            throw AzureError.malformedResponse(
                service: "Cost Management", endpoint: scope, status: 200,
                detail:
                    "costs are in \(foreign.currency.code) but the budget is in \(plan.currency.code); set budget.currency to match the billing currency",
                excerpt: "")
        }
        let fetchedAt = clock()
        let panel = CostPanel(overview: BudgetOverview(plan: plan, costs: costs, today: today), costs: costs, pages: pages, plan: plan)
        store.updateFeed { state in
            state.cost.succeed(panel, at: fetchedAt)
            state.cost.refreshing = false
        }
        do {
            try history?.save(CostSnapshot(scope: scope, range: range, costs: costs, fetchedAt: fetchedAt))
        } catch {
            logger.error("cannot save cost history", metadata: ["error": "\(error)"])
        }
    }

    /// The client for one refresh: a hold met after the first page is waited
    /// out, so a query longer than qlp's per-minute budget keeps its pages and
    /// completes (starting again from page 1 would be held at the same page
    /// for ever); the panel says who is making it wait, and until when. A hold
    /// before the first page costs nothing to give up: the poll loop waits it out.
    func pagingClient() -> CostManagementClient {
        var client = self.client
        let store = self.store
        let clock = self.clock
        client.waiting = ThrottleWaiting(
            limit: ThrottleWaitLimit(limit: Self.pagingWaitLimit, name: "the cost panel's limit of an hour's waiting per refresh"),
            waitsBeforeFirstPage: false, sleep: sleep,
            onWait: { hold in
                let now = clock()
                let until = now.addingTimeInterval(Self.seconds(hold.wait))
                store.updateFeed { state in
                    state.cost.problem = PanelData<CostPanel>.Problem(
                        summary: "waiting for page \(hold.page)", detail: hold.progressWords, at: now, nextAttempt: until,
                        throttledUntil: until, throttleReason: hold.reason)
                }
            })
        return client
    }

    /// Shows the last saved costs at once, marked as cached.
    public func loadCache() {
        guard let history else { return }
        do {
            guard let snapshot = try history.latest(scope: scope) else { return }
            let plan = store.feed.plan
            let today = Self.today(plan: plan, at: clock())
            let panel = CostPanel(
                overview: BudgetOverview(plan: plan, costs: snapshot.costs, today: today),
                costs: snapshot.costs, pages: 0, plan: plan)
            store.updateFeed { $0.cost.succeed(panel, at: snapshot.fetchedAt, source: .cache) }
        } catch {
            logger.error("cannot read cost history", metadata: ["error": "\(error)"])
        }
    }

    /// Today in the billing time zone.
    static func today(plan: BudgetPlan, at instant: Date) -> CivilDate {
        CivilDate(instant, in: TimeZone(identifier: plan.billingTimeZone) ?? TimeZone(identifier: "UTC")!)
    }

    /// The credit period so far, widened to the start of the month so the
    /// monthly budget always sees the whole month.
    static func queryRange(plan: BudgetPlan, today: CivilDate) -> DayRange {
        let first = min(plan.creditPeriod.first, today.firstOfMonth)
        return DayRange(first, max(first, today))!
    }

    static func seconds(_ d: Duration) -> TimeInterval {
        TimeInterval(d.components.seconds) + TimeInterval(d.components.attoseconds) / 1e18
    }
}
