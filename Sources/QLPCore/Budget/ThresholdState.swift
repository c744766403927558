import Foundation

/// Where spend stands against a budget's alert thresholds.
public enum ThresholdState: Sendable, Equatable, Comparable {
    /// Below every threshold.
    case clear
    /// At or past a threshold below 100% (the 80% or the 95% one).
    case crossed(threshold: Decimal)
    /// At or past 100% of the budget.
    case exceeded

    /// The state for `spent` against `amount`, with Azure's
    /// GreaterThanOrEqualTo operator on percentage thresholds.
    public static func evaluate(spent: Decimal, amount: Decimal, thresholds: [Decimal]) -> ThresholdState {
        guard amount > 0 else { return spent > 0 ? .exceeded : .clear }
        let percent = spent * 100 / amount
        if percent >= 100 { return .exceeded }
        if let highest = thresholds.filter({ $0 < 100 && percent >= $0 }).max() { return .crossed(threshold: highest) }
        return .clear
    }

    public static func < (a: ThresholdState, b: ThresholdState) -> Bool { a.rank < b.rank }

    private var rank: Decimal {
        switch self {
        case .clear: -1
        case .crossed(let t): t
        case .exceeded: 100
        }
    }
}
