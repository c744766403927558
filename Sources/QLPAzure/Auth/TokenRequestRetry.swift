import Foundation

/// Whether a token request that was refused is asked again, and when: one
/// rule for the credentials that talk HTTP (Entra ID's client-credentials
/// grant, the managed identity's IMDS), a value the tests drive with statuses.
///
/// A retryable status is asked again after the next of `delays`, or after
/// the service's Retry-After when that is longer, up to `longestWait`; past
/// the last delay, or when the service asks for longer than `longestWait`
/// (a command would sit silent), the refusal stands.
struct TokenRequestRetry: Sendable, Equatable {
    enum Next: Equatable {
        case retry(after: Duration)
        case giveUp
    }

    let delays: [Duration]
    let retryableStatuses: Set<Int>
    let retryServerErrors: Bool
    let longestWait: Duration
    /// Retries made so far.
    private(set) var retries = 0

    /// Entra ID: throttling (429) and its own failures (5xx), twice.
    static let entra = TokenRequestRetry(delays: [.seconds(1), .seconds(3)], retryableStatuses: [429], retryServerErrors: true)

    /// IMDS, as its documentation asks: 404 and 410 (the service is updating,
    /// back within 70 s), 429 and 5xx, three times.
    static func imds(delays: [Duration]) -> TokenRequestRetry {
        TokenRequestRetry(delays: delays, retryableStatuses: [404, 410, 429], retryServerErrors: true)
    }

    init(delays: [Duration], retryableStatuses: Set<Int>, retryServerErrors: Bool, longestWait: Duration = .seconds(30)) {
        self.delays = delays
        self.retryableStatuses = retryableStatuses
        self.retryServerErrors = retryServerErrors
        self.longestWait = longestWait
    }

    /// What to do after a refusal with `status`; `asked` is the service's Retry-After.
    mutating func next(status: Int, asked: Duration?) -> Next {
        let retryable = retryableStatuses.contains(status) || (retryServerErrors && status >= 500)
        guard retryable, retries < delays.count else { return .giveUp }
        let wait = max(asked ?? .zero, delays[retries])
        guard wait <= longestWait else { return .giveUp }
        retries += 1
        return .retry(after: wait)
    }
}
