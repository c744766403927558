import Foundation
import QLPCore

/// The cost panel's value: the budget picture and where it came from.
public struct CostPanel: Sendable {
    public var overview: BudgetOverview
    public var costs: [DailyCost]
    /// HTTP pages the last fetch took (0 when from cache).
    public var pages: Int
    /// Each category's projections, computed once per fetch rather than on
    /// every frame the Budget view draws (a year of rows is milliseconds).
    public var outlook: BudgetOutlook?

    /// - Parameter plan: given, the outlook is computed now.
    public init(overview: BudgetOverview, costs: [DailyCost], pages: Int, plan: BudgetPlan? = nil) {
        self.overview = overview
        self.costs = costs
        self.pages = pages
        self.outlook = plan.map { BudgetOutlook(overview: overview, plan: $0, costs: costs) }
    }
}
