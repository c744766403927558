import QLPCore

/// Sends one rendered alert email through an email sink's SMTP server. The
/// SMTP transport in QLPHTTP is adapted to this; the notifier only renders
/// and schedules.
public protocol AlertMailer: Sendable {
    /// Sends the message to `sink`'s recipients and returns the server's
    /// answer (e.g. "250 2.0.0 queued as 4F2A"), for the delivery record.
    /// `idempotencyKey` is the same on every attempt: use it in the
    /// Message-ID, so mail systems drop a repeat.
    ///
    /// - Throws: ``AlertMailerRefusal`` when the server refused the message
    ///   for good (a 5xx reply): it is not retried. Any other error is
    ///   retried with backoff. Either way its text is recorded as the reason,
    ///   so it must not contain the password.
    func send(subject: String, body: String, idempotencyKey: String, sink: NotificationSink) async throws -> String
}

/// The server refused the message and would refuse it again (an SMTP 5xx):
/// the delivery fails at once with `reason`.
public struct AlertMailerRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) { self.reason = reason }

    public var description: String { reason }
}

/// Why an email delivery could not be attempted at all.
public enum AlertMailerUnavailable {
    public static let reason = "email is not available in this build"
}
