import Foundation

/// A routing rule driven by spend: when a budget category passes a share of
/// its allocation, a route's traffic moves to another target, except for
/// requests that name an exempt model. None of the anchor gateways has this.
///
/// ```yaml
/// budget_rules:
///   openai_over_95:
///     category: azure_openai      # a key of budget.allocation
///     at_percent: 95
///     route: chat
///     send_to: llama3
///     except_models: [gpt4]       # requests asking for these keep their target
/// ```
public struct BudgetRoutingRule: Sendable, Equatable, Hashable, Codable {
    public var name: String
    /// A key of `budget.allocation`.
    public var category: String
    /// Fires when spent / allocation reaches this many percent.
    public var atPercent: Decimal
    public var route: String
    public var sendTo: String
    /// Target names; a request that asks for one of them by model name is not moved.
    public var exceptTargets: [String]

    public init(name: String, category: String, atPercent: Decimal, route: String, sendTo: String, exceptTargets: [String]) {
        self.name = name
        self.category = category
        self.atPercent = atPercent
        self.route = route
        self.sendTo = sendTo
        self.exceptTargets = exceptTargets
    }
}
