import Foundation

/// When a credit (or one bucket of it) runs out at the current burn rate.
public enum CreditExhaustion: Sendable, Equatable {
    /// Already used up: the running total reached the allocation on this day.
    case exhausted(on: CivilDate)
    /// Projected to run out on this day; `beforeExpiry` says whether that is
    /// before the credit expires (the case finance must act on).
    case projected(on: CivilDate, beforeExpiry: Bool)
    /// Nothing is being spent, so it never runs out at this rate.
    case notAtCurrentRate
    /// No complete day of data yet to base a rate on.
    case unknown

    /// Projects exhaustion of `allocation` given the spend so far.
    ///
    /// The projection starts from the last complete day: spend through that day
    /// plus `rate` per day after it, so day `n` is the first on which
    /// `spentThroughLastCompleteDay + n × rate >= allocation`, i.e.
    /// n = ceil(remaining / rate). This is Azure's breach-date rule.
    public static func project(
        allocation: Decimal, spend: DailySpend, rate: BurnRate?,
        today: CivilDate, period: DayRange
    ) -> CreditExhaustion {
        if allocation <= 0 {
            // A bucket with nothing allocated is used up by its first spend.
            let firstSpend = spend.days.first { spend.amount(on: $0) > 0 }
            return firstSpend.map { .exhausted(on: $0) } ?? .notAtCurrentRate
        }
        if let day = spend.firstDayReaching(allocation) {
            return .exhausted(on: day)
        }
        guard let rate else { return .unknown }
        guard rate.perDay > 0 else { return .notAtCurrentRate }
        let lastComplete = today.adding(days: -1)
        let spentSoFar = DayRange(period.first, lastComplete).map { spend.total(in: $0) } ?? 0
        let remaining = allocation - spentSoFar
        // A rate such as 100/7 a day is not exact in Decimal; the quotient can land
        // a hair above a whole number (14.000...01) and ceil to a day too late.
        // Rounding at 25 places removes that error (about 1e-30 here) and no real
        // quotient of money amounts is that close to a whole number.
        let days = (remaining / rate.perDay).rounded(scale: 25).ceilingInteger.intValueIfWhole ?? Int.max / 2
        let day = lastComplete.adding(days: max(1, min(days, 3_650_000)))
        return .projected(on: day, beforeExpiry: day <= period.last)
    }
}
