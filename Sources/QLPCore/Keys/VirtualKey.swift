import Foundation

/// A client key the gateway accepts, by name, with its limits. Only the
/// key's SHA-256 is ever stored: the key itself is shown once, when made.
public struct VirtualKey: Sendable, Equatable {
    /// Where the key is defined: made with `qlp keys create` (the key store),
    /// or listed in the config (`gateway.client_key_sha256`, unnamed, no limits).
    public enum Origin: String, Sendable, Equatable {
        case store
        case config
    }

    public var name: String
    /// Hex SHA-256 of the key (64 lowercase hex digits).
    public var digest: String
    public var origin: Origin
    public var createdAt: Date
    /// After this instant the key is refused (401).
    public var expiresAt: Date?
    /// Set once the key is revoked; it is refused from then on (401).
    public var revokedAt: Date?
    public var limits: KeyLimits

    public init(
        name: String, digest: String, origin: Origin = .store, createdAt: Date, expiresAt: Date? = nil,
        revokedAt: Date? = nil, limits: KeyLimits = KeyLimits()
    ) {
        self.name = name
        self.digest = digest
        self.origin = origin
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.limits = limits
    }

    /// Whether requests with this key are served at `now` (limits aside).
    public func isActive(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }
}

/// What a key may do. nil is no limit.
public struct KeyLimits: Sendable, Equatable {
    /// Requests per minute (a sliding 60 s window).
    public var requestsPerMinute: Int?
    /// Tokens per minute (a sliding 60 s window): the request's estimate when
    /// it is admitted, corrected by the tokens the upstream reports.
    public var tokensPerMinute: Int?
    public var budget: KeyBudget?
    /// The routes the key may use; nil is every route.
    public var routes: [String]?

    public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, budget: KeyBudget? = nil, routes: [String]? = nil) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.budget = budget
        self.routes = routes
    }
}

/// A spending limit per calendar period, in the budget currency, on the
/// cost the ledger counts (tokens times the configured prices).
public struct KeyBudget: Sendable, Equatable {
    public enum Period: String, Sendable, Equatable, CaseIterable {
        case day
        case week
        case month
    }

    public var amount: Decimal
    public var period: Period

    public init(amount: Decimal, period: Period = .month) {
        self.amount = amount
        self.period = period
    }

    /// The period containing `now`: its first instant and the instant it resets, in `timeZone`
    /// (weeks start on Monday, as ISO weeks do).
    public func window(containing now: Date, in timeZone: TimeZone) -> (start: Date, resets: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4
        let component: Calendar.Component =
            switch period {
            case .day: .day
            case .week: .weekOfYear
            case .month: .month
            }
        let interval = calendar.dateInterval(of: component, for: now)!
        return (interval.start, interval.end)
    }
}
