import Foundation
import QLPCore

/// The target a route's requests are priced at to say what routing saved:
/// "had every request of this route gone to this target, at these prices".
public struct SavingsBaseline: Sendable, Equatable {
    /// How the target was chosen.
    public enum Choice: String, Sendable, Equatable, CaseIterable {
        /// The route's dearest target (input + output price per 1,000 tokens).
        case mostExpensiveTarget = "most_expensive_target"
        /// Named in `routing.savings_baseline`.
        case configured
    }

    /// A target's prices per 1,000 tokens, in the budget currency.
    public struct Prices: Sendable, Equatable {
        public var inputPer1K: Decimal
        public var outputPer1K: Decimal

        public init(inputPer1K: Decimal, outputPer1K: Decimal) {
            self.inputPer1K = inputPer1K
            self.outputPer1K = outputPer1K
        }
    }

    public var target: String
    public var prices: Prices
    public var choice: Choice

    public init(target: String, prices: Prices, choice: Choice) {
        self.target = target
        self.prices = prices
        self.choice = choice
    }

    /// What `tokens` would have cost at the baseline's prices.
    public func cost(of tokens: TokenCounts) -> Decimal {
        tokens.cost(inputPer1K: prices.inputPer1K, outputPer1K: prices.outputPer1K)
    }

    /// Each route's baseline: the target `configured` names for it, else its
    /// most expensive target by input + output price per 1,000 tokens (on a
    /// tie, the first in the route's order). A route whose targets have no
    /// prices, or whose configured target has none, gets no baseline and is
    /// left out of the savings (the report names it).
    ///
    /// - Parameters:
    ///   - routes: route name -> its target names in order (weights, then fallback).
    ///   - prices: target name -> its prices, as `routing.targets` of the config sets them.
    ///   - configured: `routing.savings_baseline`, route name -> target name.
    public static func baselines(
        routes: [String: [String]], prices: [String: Prices],
        configured: [String: String] = [:]
    ) -> [String: SavingsBaseline] {
        var out: [String: SavingsBaseline] = [:]
        for (route, targets) in routes {
            if let name = configured[route] {
                if let price = prices[name] { out[route] = SavingsBaseline(target: name, prices: price, choice: .configured) }
                continue
            }
            var dearest: (name: String, prices: Prices)?
            for name in targets {
                guard let price = prices[name] else { continue }
                if let best = dearest, best.prices.inputPer1K + best.prices.outputPer1K >= price.inputPer1K + price.outputPer1K { continue }
                dearest = (name, price)
            }
            if let dearest { out[route] = SavingsBaseline(target: dearest.name, prices: dearest.prices, choice: .mostExpensiveTarget) }
        }
        return out
    }

    /// The baselines of the config's routing section: its routes' weights and
    /// fallback targets, its targets' prices and its `savings_baseline`.
    public static func baselines(_ routing: RoutingSettings) -> [String: SavingsBaseline] {
        var routes: [String: [String]] = [:]
        for route in routing.routes { routes[route.name] = route.weights.map(\.target) + route.fallback }
        var prices: [String: Prices] = [:]
        for target in routing.targets {
            prices[target.name] = Prices(inputPer1K: target.inputCostPer1K, outputPer1K: target.outputCostPer1K)
        }
        return baselines(routes: routes, prices: prices, configured: routing.savingsBaseline)
    }
}
