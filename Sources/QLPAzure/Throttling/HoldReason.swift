import Foundation

/// Why qlp is not asking a service for something right now.
public enum HoldReason: Sendable, Equatable {
    /// The service answered 429 and asked qlp to wait, in the header named
    /// (nil when no header qlp reads said how long: qlp then waits a minute).
    case serviceAsked(header: String?)
    /// qlp's own per-minute budget for this kind of request is spent: a
    /// limit qlp keeps so as not to meet the service's quota, not the service's answer.
    case ownBudget(requestsPerMinute: Int)

    /// Who is making qlp wait, in words for a screen, a log or stderr:
    /// "Cost Management asked qlp to wait (Retry-After)",
    /// "qlp's own budget of 30 Cost Management requests a minute is spent".
    public func words(service: String) -> String {
        switch self {
        case .serviceAsked(let header?): "\(service) asked qlp to wait (\(header))"
        case .serviceAsked(nil): "\(service) asked qlp to wait"
        case .ownBudget(let perMinute): "qlp's own budget of \(perMinute) \(service) requests a minute is spent"
        }
    }
}

/// A request qlp did not send because the host is held: it asked qlp to wait
/// earlier, or qlp's own budget for it is spent. Thrown by
/// ``ThrottlingTransport``; the Azure clients turn it into
/// ``AzureError/throttled(service:endpoint:retryAfter:reason:)``.
public struct ThrottleHold: Error, Sendable, Equatable {
    /// When the host may be asked again.
    public var until: Date
    /// How long that was from when the request was held.
    public var wait: Duration
    public var reason: HoldReason

    public init(until: Date, wait: Duration, reason: HoldReason) {
        self.until = until
        self.wait = wait
        self.reason = reason
    }
}
