import Synchronization

/// How a route's recent requests went: which targets served them, how many
/// a fallback served, how long they took, and which targets throttled. Counts
/// in time buckets over a short sliding window (4 s), so that an operator who
/// moves weights sees the observed share follow within seconds, not minutes,
/// and an alert clears within seconds of its cause going away.
///
/// One small lock guards the buckets; a request holds it for a few dictionary
/// updates and one array append (no sorting, no scanning): percentiles are
/// computed by the reader, outside the request path.
public final class RouteTrafficWindow: Sendable {
    /// Seconds per bucket and buckets kept: a 4 s window moving every second.
    /// A weight change is half through the window (the share half way to the
    /// new weight) about 2 s after the slowest in-flight answers under the old
    /// weights have come back, so the Routing view, polling each second, shows
    /// it moving well within 5 s. Shorter would make a quiet route's share
    /// jump with each request; the latency SLO needs its minimum samples in it.
    public static let bucketSeconds = 1.0
    public static let bucketCount = 4
    /// Latencies kept per route per bucket: beyond this many requests a
    /// second, the percentile is taken over each second's first ones (memory
    /// and the lock's hold time stay bounded under any load).
    public static let latencySamplesPerBucket = 256

    private struct RouteCounts {
        /// target -> requests served.
        var served: [String: Int] = [:]
        /// Requests a target other than the plan's first served.
        var byFallback = 0
        var latencies: [Double] = []

        mutating func add(_ target: String, byFallback: Bool, latencyMilliseconds: Double?) {
            served[target, default: 0] += 1
            if byFallback { self.byFallback += 1 }
            if let latencyMilliseconds, latencies.count < RouteTrafficWindow.latencySamplesPerBucket {
                latencies.append(latencyMilliseconds)
            }
        }
    }

    private struct Bucket {
        var index: Int
        var routes: [String: RouteCounts] = [:]
        /// target -> upstream answers of 429.
        var throttled: [String: Int] = [:]
    }

    private let buckets: Mutex<[Bucket]>
    private let clock: @Sendable () -> Double

    public init(clock: @escaping @Sendable () -> Double = { MonotonicClock.now }) {
        self.clock = clock
        buckets = Mutex(Array(repeating: Bucket(index: -1), count: Self.bucketCount))
    }

    /// Counts one request of `route` answered by `target`: `byFallback` when
    /// the target was not the first of the request's plan; `latencyMilliseconds`
    /// is the latency the route's SLO is about (time to first token for
    /// streams, the whole answer otherwise).
    public func record(route: String, target: String, byFallback: Bool = false, latencyMilliseconds: Double? = nil) {
        let index = Int(clock() / Self.bucketSeconds)
        let expired = buckets.withLock { buckets in
            let (slot, expired) = Self.slot(index, in: &buckets)
            // One lookup of the route's counts, changed in place.
            buckets[slot].routes[route, default: RouteCounts()].add(
                target, byFallback: byFallback,
                latencyMilliseconds: latencyMilliseconds)
            return expired
        }
        _ = consume expired
    }

    /// Counts one 429 (throttled) answer from `target`.
    public func recordThrottled(target: String) {
        let index = Int(clock() / Self.bucketSeconds)
        let expired = buckets.withLock { buckets in
            let (slot, expired) = Self.slot(index, in: &buckets)
            buckets[slot].throttled[target, default: 0] += 1
            return expired
        }
        _ = consume expired
    }

    /// Each target's share (0...1) of the route's requests in the window; empty when none.
    public func shares(route: String) -> [String: Double] {
        observed(route: route).shares
    }

    /// Each target's share of the route's requests in the window, and how
    /// many requests those shares rest on (few requests, noisy shares).
    public func observed(route: String) -> (shares: [String: Double], requests: Int) {
        var totals: [String: Int] = [:]
        forEachLiveBucket { bucket in
            for (target, count) in bucket.routes[route]?.served ?? [:] { totals[target, default: 0] += count }
        }
        let sum = totals.values.reduce(0, +)
        guard sum > 0 else { return ([:], 0) }
        return (totals.mapValues { Double($0) / Double(sum) }, sum)
    }

    /// The window's length in whole seconds.
    public static var windowSeconds: Int { Int(Double(bucketCount) * bucketSeconds) }

    /// Everything in the window, as figures the alert rules read.
    public func figures() -> TrafficFigures {
        var requests: [String: Int] = [:]
        var fallbacks: [String: Int] = [:]
        var latencies: [String: [Double]] = [:]
        var throttled: [String: Int] = [:]
        forEachLiveBucket { bucket in
            for (route, counts) in bucket.routes {
                requests[route, default: 0] += counts.served.values.reduce(0, +)
                fallbacks[route, default: 0] += counts.byFallback
                latencies[route, default: []] += counts.latencies
            }
            for (target, count) in bucket.throttled { throttled[target, default: 0] += count }
        }
        var routes: [String: TrafficFigures.Route] = [:]
        for (route, count) in requests {
            let samples = latencies[route] ?? []
            routes[route] = TrafficFigures.Route(
                requests: count, byFallback: fallbacks[route] ?? 0,
                p95Milliseconds: Self.percentile(95, of: samples), latencySamples: samples.count)
        }
        return TrafficFigures(
            windowSeconds: Self.windowSeconds, routes: routes,
            throttled: throttled)
    }

    /// The bucket for `index`, emptied first if it still holds an older
    /// second; that older bucket is handed back so that its memory is freed
    /// after the lock is released, not while a request holds it.
    private static func slot(_ index: Int, in buckets: inout [Bucket]) -> (Int, Bucket?) {
        let slot = index % bucketCount
        guard buckets[slot].index != index else { return (slot, nil) }
        let expired = buckets[slot]
        buckets[slot] = Bucket(index: index)
        return (slot, expired)
    }

    private func forEachLiveBucket(_ body: (Bucket) -> Void) {
        let newest = Int(clock() / Self.bucketSeconds)
        let live = buckets.withLock { buckets in
            buckets.filter { $0.index > newest - Self.bucketCount && $0.index <= newest }
        }
        live.forEach(body)
    }

    /// Nearest-rank percentile (0...100); nil when there are no samples.
    static func percentile(_ rank: Double, of samples: [Double]) -> Double? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let index = Int((rank / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(index, 0), sorted.count - 1)]
    }
}

/// A route traffic window's contents at one moment.
public struct TrafficFigures: Sendable, Equatable {
    public struct Route: Sendable, Equatable {
        /// Requests answered (by any target) in the window.
        public var requests: Int
        /// Of those, answered by a target other than the first of their plan.
        public var byFallback: Int
        /// Over the answered requests' latencies in the window; nil when none.
        public var p95Milliseconds: Double?
        public var latencySamples: Int

        public init(requests: Int, byFallback: Int, p95Milliseconds: Double?, latencySamples: Int) {
            self.requests = requests
            self.byFallback = byFallback
            self.p95Milliseconds = p95Milliseconds
            self.latencySamples = latencySamples
        }
    }

    /// How far back the figures reach.
    public var windowSeconds: Int
    /// By route name.
    public var routes: [String: Route]
    /// 429 answers by target name.
    public var throttled: [String: Int]

    public init(windowSeconds: Int, routes: [String: Route], throttled: [String: Int]) {
        self.windowSeconds = windowSeconds
        self.routes = routes
        self.throttled = throttled
    }
}
