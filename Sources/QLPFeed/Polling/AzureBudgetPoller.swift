import Foundation
import Logging
import QLPAzure
import QLPCore

/// Keeps Azure's own view of the money beside qlp's: the budgets set in
/// Azure (with their current and forecast spend) and Cost Management's
/// forecast for the month.
public struct AzureBudgetPoller: FeedPoller {
    public var budgets: BudgetsClient
    public var costs: CostManagementClient
    public var scope: String
    public var store: any FeedStore
    public var interval: Duration
    public var wake: WakeSignal
    public var clock: @Sendable () -> Date
    public var logger: Logger

    public init(
        budgets: BudgetsClient, costs: CostManagementClient, scope: String, store: any FeedStore, interval: Duration,
        wake: WakeSignal, clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "qlp.poller.budgets")
    ) {
        self.budgets = budgets
        self.costs = costs
        self.scope = scope
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
            let delay = await refreshRecordingFailure(schedule: &schedule)
            await wake.wait(for: delay)
        }
    }

    /// One refresh of both; a failure keeps the last good data, marked stale.
    public func refreshRecordingFailure(schedule: inout PollSchedule) async -> Duration {
        store.updateFeed { $0.azureBudgets.refreshing = true }
        do {
            let list = try await budgets.list(scope: scope)
            let plan = store.feed.plan
            let today = CostPoller.today(plan: plan, at: clock())
            // The forecast is a nice-to-have: a subscription type without it
            // (sponsorships, multi-currency scopes) still shows the budgets.
            var forecast: CostForecast?
            var forecastNote: String?
            do {
                forecast = try await costs.forecast(scope: scope, from: today.firstOfMonth, to: today.lastOfMonth)
            } catch {
                forecastNote = error.summary
                logger.warning("forecast unavailable", metadata: ["error": "\(error)"])
            }
            let panel = AzureBudgetPanel(budgets: list, forecast: forecast, forecastNote: forecastNote)
            let now = clock()
            store.updateFeed { state in
                state.azureBudgets.succeed(panel, at: now)
                state.azureBudgets.refreshing = false
            }
            return schedule.succeeded()
        } catch {
            let now = clock()
            let delay = schedule.failed(retryAfter: error.retryAfter)
            let throttledUntil = error.retryAfter.map { now.addingTimeInterval(CostPoller.seconds($0)) }
            store.updateFeed {
                $0.azureBudgets.fail(
                    .init(
                        summary: error.summary, detail: error.description, at: now,
                        nextAttempt: now.addingTimeInterval(CostPoller.seconds(delay)), throttledUntil: throttledUntil))
            }
            logger.warning("budget refresh failed", metadata: ["error": "\(error)"])
            return delay
        }
    }
}

/// Azure's budgets and forecast, as last read.
public struct AzureBudgetPanel: Sendable {
    public var budgets: [AzureBudget]
    public var forecast: CostForecast?
    /// Why the forecast is missing, when it is.
    public var forecastNote: String?

    public init(budgets: [AzureBudget], forecast: CostForecast?, forecastNote: String?) {
        self.budgets = budgets
        self.forecast = forecast
        self.forecastNote = forecastNote
    }
}
