import Foundation

/// When the gateway's upstream bearer token is fetched again: a value the
/// refresher asks after each fetch, tested with a fake clock.
///
/// A token is renewed `margin` before it expires, or at half its life when it
/// lives shorter than twice that (so a short-lived token is not fetched on
/// every turn); a failed fetch is retried after the next of `retryDelays`
/// (the last repeating), while the token in hand, if any, is still served.
public struct BearerRefreshSchedule: Sendable, Equatable {
    public var margin: Duration
    public var retryDelays: [Duration]
    /// Fetches failed in a row.
    public private(set) var failures = 0

    public init(
        margin: Duration = .seconds(300),
        retryDelays: [Duration] = [.seconds(1), .seconds(2), .seconds(5), .seconds(15), .seconds(30), .seconds(60)]
    ) {
        self.margin = margin
        self.retryDelays = retryDelays.isEmpty ? [.seconds(30)] : retryDelays
    }

    /// A token valid until `expiresOn` was obtained at `now`: when to fetch the next.
    public mutating func obtained(expiresOn: Date, now: Date) -> Date {
        failures = 0
        let life = max(0, expiresOn.timeIntervalSince(now))
        let early = min(Self.seconds(margin), life / 2)
        return expiresOn.addingTimeInterval(-early)
    }

    /// A fetch failed at `now`: when to try again.
    public mutating func failed(now: Date) -> Date {
        let delay = retryDelays[min(failures, retryDelays.count - 1)]
        failures += 1
        return now.addingTimeInterval(Self.seconds(delay))
    }

    static func seconds(_ d: Duration) -> TimeInterval {
        TimeInterval(d.components.seconds) + TimeInterval(d.components.attoseconds) / 1e18
    }
}
