import Foundation
import QLPCore

/// What routing saved over the compared days: the usage ledger's cost of each
/// route's requests beside what the same tokens would have cost had every
/// request gone to the route's baseline target.
public struct RoutingSavings: Sendable, Equatable {
    /// One route's figures.
    public struct Route: Sendable, Equatable {
        public var route: String
        public var baseline: SavingsBaseline
        /// Every request of the route in the ledger, answered or not.
        public var requests: Int
        /// Answered without token counts: in neither figure.
        public var unknownUsageRequests: Int
        public var inputTokens: Int
        public var outputTokens: Int
        /// The ledger's cost, at the prices of the targets that answered.
        public var actual: Decimal
        /// The same tokens at the baseline's prices.
        public var counterfactual: Decimal
        public var saving: Decimal { counterfactual - actual }
    }

    /// By route name.
    public var routes: [Route]
    public var actual: Decimal
    public var counterfactual: Decimal
    public var saving: Decimal { counterfactual - actual }
    /// The saving as a percentage of the counterfactual; nil when that is zero.
    public var savingPercent: Decimal? { counterfactual != 0 ? saving * 100 / counterfactual : nil }
    /// Requests on routes with a baseline.
    public var requests: Int
    public var unknownUsageRequests: Int
    /// Routes in the ledger with no baseline (no longer in the config, or no
    /// priced target), by name: in no figure of the savings.
    public var routesWithoutBaseline: [String]
    /// How the figures were computed, in a sentence or two, printed under them.
    public var method: String
}

/// Usage summed over one key, route or target of the ledger.
public struct UsageSpend: Sendable, Equatable {
    /// The key's, route's or target's name.
    public var name: String
    public var requests: Int
    /// Answered without token counts: not in the tokens or the cost.
    public var unknownUsageRequests: Int
    public var inputTokens: Int
    public var outputTokens: Int
    /// The ledger's cost over the compared days.
    public var cost: Decimal
    /// The same over the previous days compared.
    public var previousCost: Decimal

    public init(
        name: String, requests: Int = 0, unknownUsageRequests: Int = 0, inputTokens: Int = 0, outputTokens: Int = 0,
        cost: Decimal = 0, previousCost: Decimal = 0
    ) {
        self.name = name
        self.requests = requests
        self.unknownUsageRequests = unknownUsageRequests
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cost = cost
        self.previousCost = previousCost
    }
}

/// A route's usage and the same per target that answered it.
public struct RouteSpend: Sendable, Equatable {
    /// Named for the route.
    public var total: UsageSpend
    /// Named for the targets, costliest first.
    public var targets: [UsageSpend]
}

/// The ledger's cost on Azure OpenAI targets beside what Cost Management
/// charged for Azure OpenAI over the same days.
public struct LedgerVersusInvoice: Sendable, Equatable {
    public var days: DayRange
    /// The ledger's cost of requests answered by targets Azure bills.
    public var ledgerAzure: Decimal
    /// The ledger's cost on other targets (local models): not on the invoice.
    public var ledgerOther: Decimal
    /// Cost Management's Azure OpenAI spend (the plan's azure_openai services).
    public var invoice: Decimal
    /// What the invoice shows beyond the ledger (negative: less).
    public var difference: Decimal { invoice - ledgerAzure }
    /// Why the two differ.
    public var explanation: String
}
