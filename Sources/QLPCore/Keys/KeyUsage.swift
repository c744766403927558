import Foundation

/// One key's use: its requests and tokens over the last minute, and its spend
/// in the budget period. A value type driven by the caller's clock: the
/// gateway keeps one per key behind a short lock, tests drive it with a fake one.
///
/// Windows are sliding (every admitted request is remembered for 60 s), not
/// refilling buckets: a key limited to 30 requests a minute gets 30 in any
/// minute, never 30 plus what a bucket refilled meanwhile.
public struct KeyUsage: Sendable {
    /// What an admitted request holds until it is settled: its place in the token window.
    public struct Reservation: Sendable, Equatable {
        public let id: UInt64
        public let estimatedTokens: Int
    }

    public static let window: TimeInterval = 60

    private var requestTimes: [Date] = []
    private var tokenEntries: [(id: UInt64, at: Date, tokens: Int)] = []
    private var nextID: UInt64 = 0
    /// The budget period the spend below belongs to.
    public private(set) var periodStart: Date?
    public private(set) var periodResets: Date?
    public private(set) var spent: Decimal = 0
    public private(set) var periodRequests = 0
    public private(set) var periodTokens = 0
    public private(set) var routeSpend: [String: KeyActivity.RouteSpend] = [:]
    /// Requests refused for a limit since this value was made.
    public private(set) var refused = 0

    public init() {}

    /// What the ledger says the key used earlier in the period containing `now`
    /// (the gateway started mid-period): the rollups of this key from the period's start.
    public mutating func seed(_ rollups: [UsageRollup], budgetPeriod: KeyBudget.Period, now: Date, timeZone: TimeZone) {
        rollPeriod(budgetPeriod, now: now, timeZone: timeZone)
        guard let periodStart else { return }
        for rollup in rollups where rollup.hour >= periodStart {
            spent += rollup.cost
            periodRequests += rollup.requests
            periodTokens += rollup.inputTokens + rollup.outputTokens
            var line = routeSpend[rollup.route] ?? KeyActivity.RouteSpend(route: rollup.route, requests: 0, cost: 0)
            line.requests += rollup.requests
            line.cost += rollup.cost
            routeSpend[rollup.route] = line
        }
    }

    /// Decides on a request to `route` that may use `estimatedTokens` (its
    /// prompt's estimate plus the output it asks for). Admitting it counts it
    /// in the request and token windows at once, so concurrent requests see it.
    /// The checks run in this order: route, budget, requests, tokens.
    public mutating func decide(_ limits: KeyLimits, route: String, estimatedTokens: Int, now: Date,
                                timeZone: TimeZone) -> KeyDecision {
        rollPeriod(limits.budget?.period ?? .month, now: now, timeZone: timeZone)
        forget(before: now.addingTimeInterval(-Self.window))
        if let refusal = refusal(limits, route: route, estimatedTokens: estimatedTokens, now: now) {
            refused += 1
            return .refused(refusal)
        }
        requestTimes.append(now)
        nextID += 1
        tokenEntries.append((nextID, now, estimatedTokens))
        return .admitted(Reservation(id: nextID, estimatedTokens: estimatedTokens))
    }

    private func refusal(_ limits: KeyLimits, route: String, estimatedTokens: Int, now: Date) -> KeyRefusal? {
        if let allowed = limits.routes, !allowed.contains(route) {
            return .routeNotAllowed(route: route, allowed: allowed)
        }
        if let budget = limits.budget, spent >= budget.amount, let periodResets {
            return .budget(budget, spent: spent, resets: periodResets)
        }
        if let limit = limits.requestsPerMinute, requestTimes.count >= limit {
            // The oldest request in the window leaves it first; then one more fits.
            let index = requestTimes.count - limit
            return .requestRate(limit: limit, retryAfterSeconds: Self.seconds(until: requestTimes[index], now: now))
        }
        if let limit = limits.tokensPerMinute {
            let used = tokenEntries.reduce(0) { $0 + $1.tokens }
            if used + estimatedTokens > limit {
                // Wait until enough of the window has left it for this request to fit; a request larger
                // than the whole limit never fits, and is told to wait a full window like any other.
                var freed = 0
                var retryAt = now.addingTimeInterval(-Self.window)
                for entry in tokenEntries where used - freed + estimatedTokens > limit {
                    freed += entry.tokens
                    retryAt = entry.at
                }
                return .tokenRate(limit: limit, estimate: estimatedTokens, retryAfterSeconds: Self.seconds(until: retryAt, now: now))
            }
        }
        return nil
    }

    /// The answer of an admitted request: its actual tokens replace the
    /// estimate in the token window (unknown tokens keep the estimate), and
    /// its cost counts towards the budget period it started in.
    public mutating func settle(_ reservation: Reservation, route: String, tokens: TokenCounts?, cost: Decimal?) {
        if let tokens, let index = tokenEntries.firstIndex(where: { $0.id == reservation.id }) {
            tokenEntries[index].tokens = tokens.total
        }
        periodRequests += 1
        periodTokens += tokens?.total ?? 0
        spent += cost ?? 0
        var line = routeSpend[route] ?? KeyActivity.RouteSpend(route: route, requests: 0, cost: 0)
        line.requests += 1
        line.cost += cost ?? 0
        routeSpend[route] = line
    }

    /// Requests and tokens over the last minute.
    public mutating func lastMinute(now: Date) -> (requests: Int, tokens: Int) {
        forget(before: now.addingTimeInterval(-Self.window))
        return (requestTimes.count, tokenEntries.reduce(0) { $0 + $1.tokens })
    }

    /// A new budget period starts from nothing.
    private mutating func rollPeriod(_ period: KeyBudget.Period, now: Date, timeZone: TimeZone) {
        if let periodStart, let periodResets, now >= periodStart, now < periodResets { return }
        let window = KeyBudget(amount: 0, period: period).window(containing: now, in: timeZone)
        periodStart = window.start
        periodResets = window.resets
        spent = 0
        periodRequests = 0
        periodTokens = 0
        routeSpend = [:]
    }

    private mutating func forget(before cutoff: Date) {
        if let keep = requestTimes.firstIndex(where: { $0 > cutoff }) {
            requestTimes.removeFirst(keep)
        } else {
            requestTimes.removeAll(keepingCapacity: true)
        }
        if let keep = tokenEntries.firstIndex(where: { $0.at > cutoff }) {
            tokenEntries.removeFirst(keep)
        } else {
            tokenEntries.removeAll(keepingCapacity: true)
        }
    }

    /// Whole seconds, at least 1, until `entry` leaves the window.
    private static func seconds(until entry: Date, now: Date) -> Int {
        max(1, Int((entry.addingTimeInterval(window).timeIntervalSince(now)).rounded(.up)))
    }
}
