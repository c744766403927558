import Foundation

/// One key's use: its requests and tokens over the last minute, and its spend
/// in the budget period. A value type driven by the caller's clock: the
/// gateway keeps one per key behind a short lock, tests drive it with a fake one.
///
/// Windows slide second by second over the last 60 s (not refilling buckets:
/// a key limited to 30 requests a minute gets 30 in any minute, never 30 plus
/// what a bucket refilled meanwhile). Counting per second keeps each decision
/// O(60) and the memory fixed whatever the traffic.
public struct KeyUsage: Sendable {
    /// What an admitted request holds until it is settled: its place in the token window.
    public struct Reservation: Sendable, Equatable {
        /// The second the request was admitted in: its tokens are corrected there.
        public let second: Int64
        public let estimatedTokens: Int

        public init(second: Int64, estimatedTokens: Int) {
            self.second = second
            self.estimatedTokens = estimatedTokens
        }
    }

    private var requestWindow = SecondWindow()
    private var tokenWindow = SecondWindow()
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
    public mutating func decide(
        _ limits: KeyLimits, route: String, estimatedTokens: Int, now: Date,
        timeZone: TimeZone
    ) -> KeyDecision {
        rollPeriod(limits.budget?.period ?? .month, now: now, timeZone: timeZone)
        if let refusal = refusal(limits, route: route, estimatedTokens: estimatedTokens, now: now) {
            refused += 1
            return .refused(refusal)
        }
        let second = SecondWindow.second(of: now)
        requestWindow.add(1, at: second)
        tokenWindow.add(estimatedTokens, at: second)
        return .admitted(Reservation(second: second, estimatedTokens: estimatedTokens))
    }

    private func refusal(_ limits: KeyLimits, route: String, estimatedTokens: Int, now: Date) -> KeyRefusal? {
        if let allowed = limits.routes, !allowed.contains(route) {
            return .routeNotAllowed(route: route, allowed: allowed)
        }
        if let budget = limits.budget, spent >= budget.amount, let periodResets {
            return .budget(budget, spent: spent, resets: periodResets)
        }
        let second = SecondWindow.second(of: now)
        if let limit = limits.requestsPerMinute, let freedAt = requestWindow.whenFits(1, limit: limit, now: second) {
            return .requestRate(limit: limit, retryAfterSeconds: Self.seconds(until: freedAt, now: now))
        }
        if let limit = limits.tokensPerMinute, let freedAt = tokenWindow.whenFits(estimatedTokens, limit: limit, now: second) {
            // A request larger than the whole limit never fits, and is told to wait a full window like any other.
            return .tokenRate(limit: limit, estimate: estimatedTokens, retryAfterSeconds: Self.seconds(until: freedAt, now: now))
        }
        return nil
    }

    /// The answer of an admitted request: its actual tokens replace the
    /// estimate in the token window (unknown tokens keep the estimate), and
    /// its cost counts towards the budget period it started in.
    public mutating func settle(_ reservation: Reservation, route: String, tokens: TokenCounts?, cost: Decimal?) {
        if let tokens { tokenWindow.add(tokens.total - reservation.estimatedTokens, at: reservation.second) }
        periodRequests += 1
        periodTokens += tokens?.total ?? 0
        spent += cost ?? 0
        var line = routeSpend[route] ?? KeyActivity.RouteSpend(route: route, requests: 0, cost: 0)
        line.requests += 1
        line.cost += cost ?? 0
        routeSpend[route] = line
    }

    /// This usage as it stands at `now`: a budget period that has ended since the key's last request shows as a new, empty one.
    public func asOf(_ now: Date, budgetPeriod: KeyBudget.Period, timeZone: TimeZone) -> KeyUsage {
        var copy = self
        copy.rollPeriod(budgetPeriod, now: now, timeZone: timeZone)
        return copy
    }

    /// Requests and tokens over the last minute.
    public func lastMinute(now: Date) -> (requests: Int, tokens: Int) {
        let second = SecondWindow.second(of: now)
        return (requestWindow.sum(now: second), tokenWindow.sum(now: second))
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

    /// Whole seconds, at least 1, until the start of second `freedAt`.
    private static func seconds(until freedAt: Int64, now: Date) -> Int {
        max(1, Int((Double(freedAt) - now.timeIntervalSince1970).rounded(.up)))
    }
}

/// Amounts per second over the last 60 seconds, in a fixed ring.
struct SecondWindow: Sendable {
    static let length: Int64 = 60
    private var amounts = [Int](repeating: 0, count: Int(length))
    private var seconds = [Int64](repeating: .min, count: Int(length))

    static func second(of instant: Date) -> Int64 { Int64(instant.timeIntervalSince1970.rounded(.down)) }

    /// Adds to second `second` (a correction may be negative); a second already out of the window is left alone.
    mutating func add(_ amount: Int, at second: Int64) {
        let slot = Int(((second % Self.length) + Self.length) % Self.length)
        if seconds[slot] != second {
            // The slot last held a second at least a window older: that one has left the window.
            guard seconds[slot] < second else { return }
            seconds[slot] = second
            amounts[slot] = 0
        }
        amounts[slot] += amount
    }

    /// The sum over the seconds in the window ending with `now`.
    func sum(now: Int64) -> Int {
        var total = 0
        for i in 0..<Int(Self.length) where seconds[i] > now - Self.length && seconds[i] <= now { total += amounts[i] }
        return total
    }

    /// nil when `amount` more fits under `limit` now; otherwise the second from
    /// which it will (as the oldest seconds leave the window), or a full window
    /// on when it can never fit.
    func whenFits(_ amount: Int, limit: Int, now: Int64) -> Int64? {
        var live: [(second: Int64, amount: Int)] = []
        for i in 0..<Int(Self.length) where seconds[i] > now - Self.length && seconds[i] <= now && amounts[i] != 0 {
            live.append((seconds[i], amounts[i]))
        }
        var used = live.reduce(0) { $0 + $1.amount }
        guard used + amount > limit else { return nil }
        for entry in live.sorted(by: { $0.second < $1.second }) {
            used -= entry.amount
            if used + amount <= limit { return entry.second + Self.length }
        }
        return now + Self.length
    }
}
