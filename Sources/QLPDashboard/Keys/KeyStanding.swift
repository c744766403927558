import Foundation
import QLPCore

/// How near a key is to each of its limits, from its activity: what the Keys
/// view colours and counts in its title. The same tests the gateway makes
/// before it admits a request (KeyUsage): spend at or past the budget is
/// refused until the period resets, a full minute's requests or tokens until
/// the window frees. Only an active key can be stopped by a limit; a revoked
/// or expired one is refused whatever it used.
struct KeyStanding: Equatable {
    /// Spent / budget (1 is all of it); nil without a budget. A zero budget
    /// admits nothing: it reads as all used.
    var budgetFraction: Decimal?
    /// Requests in the last minute / the key's limit; nil without a limit.
    var requestRateFraction: Double?
    /// Tokens in the last minute / the key's limit; nil without a limit.
    var tokenRateFraction: Double?
    /// The gateway refuses the key's requests until the budget period resets.
    var overBudget: Bool
    var atRequestLimit: Bool
    var atTokenLimit: Bool

    init(_ key: KeyActivity) {
        let limits = key.limits
        let active = key.state == .active
        budgetFraction = limits.budget.map { $0.amount > 0 ? key.spent / $0.amount : 1 }
        requestRateFraction = limits.requestsPerMinute.map { Self.fraction(key.requestsLastMinute, of: $0) }
        tokenRateFraction = limits.tokensPerMinute.map { Self.fraction(key.tokensLastMinute, of: $0) }
        // A zero budget refuses everything, as the gateway's `spent >= amount` does.
        overBudget = active && limits.budget.map { key.spent >= $0.amount } == true
        atRequestLimit = active && limits.requestsPerMinute.map { key.requestsLastMinute >= $0 } == true
        atTokenLimit = active && limits.tokensPerMinute.map { key.tokensLastMinute >= $0 } == true
    }

    var atRateLimit: Bool { atRequestLimit || atTokenLimit }

    /// Requests are being refused for a limit right now.
    var stopped: Bool { overBudget || atRateLimit }

    /// How loud a rate is: at the limit requests are refused (429), so
    /// critical; from 80% on it warns that refusals are near.
    static func urgency(ofRate fraction: Double?) -> ThresholdUrgency {
        guard let fraction else { return .quiet }
        if fraction >= 1 { return .critical }
        return fraction >= 0.8 ? .warning : .quiet
    }

    /// A zero limit admits nothing: it reads as full.
    static func fraction(_ used: Int, of limit: Int) -> Double {
        limit > 0 ? Double(used) / Double(limit) : 1
    }
}
