import Foundation

/// One key as the Keys view shows it: its limits and what it has used.
public struct KeyActivity: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        case active
        case revoked
        case expired
    }

    /// Spend on one route in the key's budget period.
    public struct RouteSpend: Sendable, Equatable {
        public var route: String
        public var requests: Int
        public var cost: Decimal

        public init(route: String, requests: Int, cost: Decimal) {
            self.route = route
            self.requests = requests
            self.cost = cost
        }
    }

    public var name: String
    public var origin: VirtualKey.Origin
    public var state: State
    public var limits: KeyLimits
    public var expiresAt: Date?
    /// Spend in the current budget period (this month when the key has no budget).
    public var spent: Decimal
    /// When the budget period resets.
    public var periodResets: Date?
    /// In the budget period.
    public var requests: Int
    public var tokens: Int
    /// Over the last 60 s.
    public var requestsLastMinute: Int
    public var tokensLastMinute: Int
    /// Requests refused for a limit (RPM, TPM, budget, route) since the gateway started.
    public var refused: Int
    /// Most spent first.
    public var topRoutes: [RouteSpend]

    public init(
        name: String, origin: VirtualKey.Origin, state: State, limits: KeyLimits, expiresAt: Date?, spent: Decimal,
        periodResets: Date?, requests: Int, tokens: Int, requestsLastMinute: Int, tokensLastMinute: Int, refused: Int,
        topRoutes: [RouteSpend]
    ) {
        self.name = name
        self.origin = origin
        self.state = state
        self.limits = limits
        self.expiresAt = expiresAt
        self.spent = spent
        self.periodResets = periodResets
        self.requests = requests
        self.tokens = tokens
        self.requestsLastMinute = requestsLastMinute
        self.tokensLastMinute = tokensLastMinute
        self.refused = refused
        self.topRoutes = topRoutes
    }
}
