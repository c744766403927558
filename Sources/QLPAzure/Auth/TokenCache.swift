import Foundation

/// One token per scope, reused until shortly before it expires. Concurrent
/// callers that find no fresh token share one request to Entra ID instead of
/// each starting their own.
public actor TokenCache {
    private let source: any TokenSource
    private let refreshMargin: TimeInterval
    private let clock: @Sendable () -> Date
    private var tokens: [String: (token: AccessToken, fetchedAt: Date)] = [:]
    private var pending: [String: Task<AccessToken, any Error>] = [:]

    /// - Parameter refreshMargin: renew this long before expiry, so a token
    ///   never expires between being handed out and being used.
    public init(
        source: any TokenSource, refreshMargin: Duration = .seconds(300),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.source = source
        self.refreshMargin = TimeInterval(refreshMargin.components.seconds)
        self.clock = clock
    }

    public func token(for scope: String) async throws(AzureError) -> AccessToken {
        if let cached = tokens[scope], cached.token.expiresOn.timeIntervalSince(clock()) > margin(for: cached) {
            return cached.token
        }
        let task: Task<AccessToken, any Error>
        if let running = pending[scope] {
            task = running
        } else {
            let source = self.source
            task = Task { try await source.fetchToken(scope: scope) }
            pending[scope] = task
        }
        let started = clock()
        do {
            let token = try await task.value
            tokens[scope] = (token, started)
            pending[scope] = nil
            return token
        } catch {
            pending[scope] = nil
            throw (error as? AzureError) ?? .credentialUnavailable(detail: "\(error)")
        }
    }

    /// Renew `refreshMargin` before expiry, or at half the token's life when
    /// it lives shorter than twice that (a 60-second token is renewed at 30 s,
    /// not on every call).
    private func margin(for cached: (token: AccessToken, fetchedAt: Date)) -> TimeInterval {
        min(refreshMargin, cached.token.expiresOn.timeIntervalSince(cached.fetchedAt) / 2)
    }

    /// Forgets a token Azure rejected (401), so the next call fetches a new one.
    public func invalidate(scope: String) {
        tokens[scope] = nil
    }
}
