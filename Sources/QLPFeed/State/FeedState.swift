import Foundation
import QLPAzure
import QLPCore

/// What the pollers know: spend against the budget, Azure's budgets and
/// forecast, Monitor metrics and Atlas credits, each with how far to trust it.
/// No screen in it: the dashboard embeds it, a headless gateway keeps it alone.
public struct FeedState: Sendable {
    public var plan: BudgetPlan
    /// How often cost data is fetched: data older than twice this raises an alert.
    public var costRefresh: Duration
    public var cost: PanelData<CostPanel>
    /// Azure's own budgets and forecast.
    public var azureBudgets: PanelData<AzureBudgetPanel>
    /// Azure Monitor metrics.
    public var monitor: PanelData<MonitorPanel>
    /// MongoDB Atlas credits (only when the Atlas Admin API is configured).
    public var atlas: PanelData<AtlasCreditUse>
    public var atlasConfigured: Bool

    public init(plan: BudgetPlan, costRefresh: Duration) {
        self.plan = plan
        self.costRefresh = costRefresh
        // Two missed refreshes make data stale.
        self.cost = PanelData(staleAfter: costRefresh * 2 + .seconds(60))
        self.azureBudgets = PanelData(staleAfter: costRefresh * 2 + .seconds(60))
        self.monitor = PanelData(staleAfter: .seconds(300))
        self.atlas = PanelData(staleAfter: costRefresh * 2 + .seconds(60))
        self.atlasConfigured = false
    }
}
