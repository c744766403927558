import Synchronization

/// How a route's recent requests were spread over its targets: counts in
/// time buckets over a short sliding window (6 s), so that an operator who moves
/// weights sees the observed share follow within seconds, not minutes.
public final class RouteTrafficWindow: Sendable {
    /// Seconds per bucket and buckets kept: a 6 s window moving every second,
    /// so a weight change shows in the observed share within about 5 s.
    public static let bucketSeconds = 1.0
    public static let bucketCount = 6

    private struct Bucket {
        var index: Int
        /// route -> target -> requests served.
        var counts: [String: [String: Int]]
    }

    private let buckets: Mutex<[Bucket]>
    private let clock: @Sendable () -> Double

    public init(clock: @escaping @Sendable () -> Double = { MonotonicClock.now }) {
        self.clock = clock
        buckets = Mutex(Array(repeating: Bucket(index: -1, counts: [:]), count: Self.bucketCount))
    }

    /// Counts one request of `route` answered by `target`.
    public func record(route: String, target: String) {
        let index = Int(clock() / Self.bucketSeconds)
        buckets.withLock { buckets in
            let slot = index % Self.bucketCount
            if buckets[slot].index != index { buckets[slot] = Bucket(index: index, counts: [:]) }
            buckets[slot].counts[route, default: [:]][target, default: 0] += 1
        }
    }

    /// Each target's share (0...1) of the route's requests in the window; empty when none.
    public func shares(route: String) -> [String: Double] {
        let newest = Int(clock() / Self.bucketSeconds)
        var totals: [String: Int] = [:]
        buckets.withLock { buckets in
            for bucket in buckets where bucket.index > newest - Self.bucketCount && bucket.index <= newest {
                for (target, count) in bucket.counts[route] ?? [:] { totals[target, default: 0] += count }
            }
        }
        let sum = totals.values.reduce(0, +)
        guard sum > 0 else { return [:] }
        return totals.mapValues { Double($0) / Double(sum) }
    }
}
