import Foundation

/// Why a key's request is refused before any upstream is called.
public enum KeyRefusal: Sendable, Equatable {
    /// The key may not use this route (403).
    case routeNotAllowed(route: String, allowed: [String])
    /// Over the key's requests per minute (429); retry after this many whole seconds.
    case requestRate(limit: Int, retryAfterSeconds: Int)
    /// Over the key's tokens per minute (429); `estimate` is what this request may use.
    case tokenRate(limit: Int, estimate: Int, retryAfterSeconds: Int)
    /// The key's budget for the period is spent (429 with its own code) until `resets`.
    case budget(KeyBudget, spent: Decimal, resets: Date)
}

/// The decision on one request of a key.
public enum KeyDecision: Sendable, Equatable {
    /// Go ahead; settle the reservation when the answer's usage is known.
    case admitted(KeyUsage.Reservation)
    case refused(KeyRefusal)
}
