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

/// How loud a budget state is: one rule for the gauges, the table cells, the
/// alerts and the bell, all from the configured thresholds
/// (`budget.monthly.alerts`), never from numbers of their own.
public enum ThresholdUrgency: Sendable, Equatable, Comparable {
    case quiet, warning, critical
}

extension ThresholdState {
    /// The state of a fraction used (0.8 is 80%) against `thresholds` (percentages).
    public static func evaluate(fraction: Decimal, thresholds: [Decimal]) -> ThresholdState {
        evaluate(spent: fraction * 100, amount: 100, thresholds: thresholds)
    }

    /// Exceeded is critical; past the highest of two or more thresholds below
    /// 100% is critical (95 of [80, 95], 75 of [50, 75]); past a lower one, or
    /// the only one, warns; below all of them is quiet.
    public func urgency(thresholds: [Decimal]) -> ThresholdUrgency {
        switch self {
        case .clear: return .quiet
        case .exceeded: return .critical
        case .crossed(let threshold):
            let below = thresholds.filter { $0 < 100 }
            return below.count >= 2 && threshold >= below.max()! ? .critical : .warning
        }
    }
}
