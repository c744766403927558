import Foundation
import QLPCore
import Synchronization

/// The Entra ID token the gateway sends to Azure OpenAI as
/// `Authorization: Bearer`, kept fresh off the request path: a background
/// task fetches it on ``BearerRefreshSchedule``'s schedule and publishes it
/// into a Mutex-guarded slot that every request reads without waiting. Only
/// before the first token was ever obtained does a request wait, for that
/// first fetch (shared by all who wait).
///
/// The fetch is given by whoever holds the credential (QLPAzure is not a
/// dependency of the gateway): a token and its expiry, or an error whose
/// description names the credential and never a secret.
public final class UpstreamBearer: Sendable {
    public struct Token: Sendable, Equatable {
        public var value: Secret
        public var expiresOn: Date

        public init(value: Secret, expiresOn: Date) {
            self.value = value
            self.expiresOn = expiresOn
        }
    }

    public typealias Fetch = @Sendable () async throws -> Token

    private struct Slot {
        var token: Token?
        var lastError: String?
        var firstAttemptDone = false
        var waiting: [CheckedContinuation<Void, Never>] = []
        var refresher: Task<Void, Never>?
        var stopped = false
    }

    private let fetch: Fetch
    private let now: @Sendable () -> Date
    private let schedule: BearerRefreshSchedule
    private let slot = Mutex(Slot())

    public init(
        schedule: BearerRefreshSchedule = BearerRefreshSchedule(), now: @escaping @Sendable () -> Date = { Date() },
        fetch: @escaping Fetch
    ) {
        self.fetch = fetch
        self.now = now
        self.schedule = schedule
    }

    deinit { slot.withLock { $0.refresher?.cancel() } }

    /// The token to send now. Never waits once a token was obtained (one
    /// that failed to refresh is still sent: Azure's 401 then says why);
    /// before that, waits for the first fetch. nil: none could be had
    /// (``lastError`` says why).
    public func token() async -> Secret? {
        if let token = slot.withLock({ $0.token }) { return token.value }
        start()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = slot.withLock { slot -> Bool in
                if slot.firstAttemptDone || slot.stopped { return true }
                slot.waiting.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
        return slot.withLock { $0.token?.value }
    }

    /// The token in hand, without waiting.
    public var current: Secret? { slot.withLock { $0.token?.value } }

    /// Why the last fetch failed; nil once one succeeds.
    public var lastError: String? { slot.withLock { $0.lastError } }

    /// Starts refreshing in the background (once; later calls do nothing).
    public func start() {
        let fetch = self.fetch
        let now = self.now
        let initial = self.schedule
        slot.withLock { state in
            guard state.refresher == nil, !state.stopped else { return }
            // Holds the bearer weakly: the loop ends on stop(), or when the bearer is released (deinit cancels it).
            state.refresher = Task { [weak self] in
                var schedule = initial
                while !Task.isCancelled {
                    let next: Date
                    do {
                        let token = try await fetch()
                        next = schedule.obtained(expiresOn: token.expiresOn, now: now())
                        self?.publish(token: token, error: nil)
                    } catch {
                        next = schedule.failed(now: now())
                        self?.publish(token: nil, error: "\(error)")
                    }
                    guard self != nil else { return }
                    let wait = max(0, next.timeIntervalSince(now()))
                    try? await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
                }
            }
        }
    }

    /// Stops refreshing; anyone still waiting for a first token gets none.
    public func stop() {
        let waiting = slot.withLock { state in
            state.stopped = true
            state.refresher?.cancel()
            state.refresher = nil
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    private func publish(token: Token?, error: String?) {
        let waiting = slot.withLock { state in
            if let token { state.token = token }
            state.lastError = error
            state.firstAttemptDone = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
