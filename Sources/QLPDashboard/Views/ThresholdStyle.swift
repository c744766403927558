import Foundation
import QLPCanvas
import QLPCore

/// The colour of a budget figure: one mapping from the core's threshold
/// urgency, so every gauge, percentage and projection agrees with the alerts.
enum ThresholdStyle {
    static func role(_ urgency: ThresholdUrgency, quiet: StyleRole = .ok) -> StyleRole {
        switch urgency {
        case .quiet: quiet
        case .warning: .warning
        case .critical: .critical
        }
    }

    static func role(for state: ThresholdState, thresholds: [Decimal], quiet: StyleRole = .ok) -> StyleRole {
        role(state.urgency(thresholds: thresholds), quiet: quiet)
    }

    /// A fraction used (1 is all of it) against the configured thresholds.
    static func role(forFraction fraction: Decimal, thresholds: [Decimal], quiet: StyleRole = .ok) -> StyleRole {
        role(for: ThresholdState.evaluate(fraction: fraction, thresholds: thresholds), thresholds: thresholds, quiet: quiet)
    }
}
