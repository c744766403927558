import Foundation
import QLPCore

/// What to do after an attempt to deliver one message: done, try again at a
/// given time, or give up and say why. One rule for every sink.
///
/// - 2xx: delivered.
/// - 408, 429, 5xx and network errors: the receiver may take it later; retry
///   after 5 s, 15 s, 45 s … (times 3, at most 10 min), or after the wait a
///   429 or 503 asked for in Retry-After (at most 10 min as well).
/// - Any other status (4xx, a redirect, which is not followed): the receiver
///   refuses this message and will refuse it again, so it fails at once
///   with the status and the start of the receiver's answer.
/// - After 8 attempts, or when the next try would come more than 24 h after
///   the message was queued: given up, with the last reason.
///
/// A value rebuilt from the outbox row (attempts, queued time) and driven by
/// the caller's clock: tests step time by hand.
public struct DeliverySchedule: Sendable, Equatable {
    public struct Policy: Sendable, Equatable {
        public var firstRetry: Duration
        public var factor: Int
        public var longestWait: Duration
        public var maxAttempts: Int
        public var giveUpAfter: Duration

        public init(
            firstRetry: Duration = .seconds(5), factor: Int = 3, longestWait: Duration = .seconds(600),
            maxAttempts: Int = 8, giveUpAfter: Duration = .seconds(24 * 3600)
        ) {
            self.firstRetry = firstRetry
            self.factor = factor
            self.longestWait = longestWait
            self.maxAttempts = maxAttempts
            self.giveUpAfter = giveUpAfter
        }

        public static let standard = Policy()
    }

    /// What one attempt came to.
    public enum Attempt: Sendable, Equatable {
        /// Taken by a receiver that is not HTTP (a mail server's "250 queued").
        case accepted(detail: String)
        /// The receiver answered; `retryAfter` is its Retry-After, when readable.
        case answered(status: Int, retryAfter: Duration?, excerpt: String)
        /// No answer: cannot connect, timed out, connection reset (a few words, no address).
        case unreachable(summary: String)
        /// This build or set-up cannot send it at all (no mailer): retrying cannot mend it.
        case impossible(reason: String)
    }

    public enum Decision: Sendable, Equatable {
        case delivered
        case retry(at: Date, reason: String)
        case failed(reason: String)
    }

    public var policy: Policy
    /// When the message was queued: the 24-hour limit counts from here.
    public let queuedAt: Date
    /// Attempts made so far.
    public private(set) var attempts: Int

    public init(policy: Policy = .standard, queuedAt: Date, attempts: Int = 0) {
        self.policy = policy
        self.queuedAt = queuedAt
        self.attempts = attempts
    }

    /// The wait before the retry that follows the `attempts`-th failure.
    public func backoff(afterAttempts attempts: Int) -> Duration {
        var wait = policy.firstRetry
        for _ in 1..<max(1, attempts) {
            wait = wait * policy.factor
            if wait >= policy.longestWait { return policy.longestWait }
        }
        return min(wait, policy.longestWait)
    }

    /// Counts the attempt and decides what comes next.
    public mutating func record(_ attempt: Attempt, at now: Date) -> Decision {
        attempts += 1
        let reason: String
        var asked: Duration?
        switch attempt {
        case .accepted:
            return .delivered
        case .answered(let status, let retryAfter, let excerpt):
            if (200..<300).contains(status) { return .delivered }
            let said = excerpt.isEmpty ? "" : ": \(excerpt)"
            guard status == 408 || status == 429 || (500..<600).contains(status) else {
                let why = (300..<400).contains(status) ? " (redirects are not followed; check the URL)" : ""
                return .failed(reason: "the receiver refused it: HTTP \(status)\(why)\(said)")
            }
            reason = "HTTP \(status)\(said)"
            if status == 429 || status == 503 { asked = retryAfter }
        case .unreachable(let summary):
            reason = summary
        case .impossible(let reason):
            return .failed(reason: reason)
        }
        if attempts >= policy.maxAttempts {
            return .failed(reason: "gave up after \(attempts) attempts; the last: \(reason)")
        }
        var wait = backoff(afterAttempts: attempts)
        if let asked { wait = max(min(asked, policy.longestWait), .seconds(1)) }
        let next = now.addingTimeInterval(Self.seconds(wait))
        if next.timeIntervalSince(queuedAt) > Self.seconds(policy.giveUpAfter) {
            return .failed(
                reason: "gave up after \(attempts) attempts over \(DurationWords.of(now.timeIntervalSince(queuedAt))); "
                    + "the last: \(reason)")
        }
        return .retry(at: next, reason: reason)
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// "3 h 20 min", "45 s": elapsed time in a reason.
enum DurationWords {
    static func of(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        return s % 3600 / 60 == 0 ? "\(s / 3600) h" : "\(s / 3600) h \(s % 3600 / 60) min"
    }
}

/// The start of a receiver's answer, fit for a reason in a table: one line,
/// at most 200 characters, control characters gone.
public enum ReceiverExcerpt {
    public static func of(_ body: [UInt8], limit: Int = 200) -> String {
        let text = String(decoding: body.prefix(limit * 4), as: UTF8.self)
        return AlertText.oneLine(text, limit: limit)
    }
}
