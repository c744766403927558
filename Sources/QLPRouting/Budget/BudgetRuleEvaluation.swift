import Foundation

/// Which budget routing rules fire, given how much of each category is spent.
public enum BudgetRuleEvaluation {
    /// A rule fires when its category's spend has reached `atPercent` of the
    /// allocation and no operator has suspended it. A category with no figure
    /// (spend not known yet) fires nothing: routing moves on evidence, not on
    /// its absence.
    /// - Parameter percentSpent: category key -> percent of its allocation spent (95 for 95%).
    public static func active(
        _ rules: [BudgetRoutingRule], suspended: [String],
        percentSpent: [String: Decimal]
    ) -> [BudgetRoutingRule] {
        rules.filter { rule in
            guard !suspended.contains(rule.name), let percent = percentSpent[rule.category] else { return false }
            return percent >= rule.atPercent
        }
    }
}
