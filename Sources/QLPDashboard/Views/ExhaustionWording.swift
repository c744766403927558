import Foundation
import QLPCanvas
import QLPCore

/// How an exhaustion date reads on screen, in three lengths (a sentence on
/// the Overview's burn line, a table cell in the category tables), with the
/// emphasis it deserves: running out long before expiry is critical.
enum ExhaustionWording {
    case long, medium, short

    func text(_ exhaustion: CreditExhaustion, expiry: CivilDate, format f: DisplayFormat) -> (String, StyleRole) {
        switch exhaustion {
        case .exhausted(let day):
            let text =
                switch self {
                case .long: "credits used up on \(f.date(day))"
                case .medium: "used up on \(f.date(day))"
                case .short: "used \(f.shortDate(day))"
                }
            return (text, .critical)
        case .projected(let day, let beforeExpiry):
            if beforeExpiry {
                let gap = day.days(to: expiry)
                let text =
                    switch self {
                    case .long: "runs out \(f.date(day)), \(gap) days before expiry"
                    case .medium: "runs out \(f.date(day)) (\(gap)d early)"
                    case .short: f.date(day)
                    }
                return (text, gap > 60 ? .critical : .warning)
            }
            let text =
                switch self {
                case .long: "lasts past expiry (\(f.date(expiry))); at this rate out \(f.date(day))"
                case .medium: "lasts past expiry (\(f.date(expiry)))"
                case .short: "after expiry"
                }
            return (text, .ok)
        case .notAtCurrentRate:
            return (self == .short ? "no spend" : "no spend: lasts until expiry", .ok)
        case .unknown:
            return (self == .short ? "-" : "runs out: not enough data yet", .muted)
        }
    }
}
