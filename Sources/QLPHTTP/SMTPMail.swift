/// One plain-text email: envelope addresses, a subject, a UTF-8 body and a
/// few extra header fields (an idempotency key, a Message-ID).
///
/// Nothing is checked here; ``renderedMessage(date:)`` checks everything
/// before a byte is produced, and ``CurlMailTransport`` renders before it
/// connects, so a bad mail never reaches a server.
public struct SMTPMail: Sendable, Equatable {
    /// The sender, a plain address (`alerts@example.com`); used both for
    /// SMTP's MAIL FROM and the From header.
    public var from: String
    /// The recipients, plain addresses, at least one; used both for SMTP's
    /// RCPT TO and the To header.
    public var to: [String]
    /// Any Unicode; sent as RFC 2047 encoded words when it is not plain ASCII.
    public var subject: String
    /// Plain text; line breaks of any kind are sent as CRLF.
    public var textBody: String
    /// Further header fields, written in this order after Subject (a
    /// Message-ID first). Names and values must be printable ASCII.
    public var extraHeaders: [SMTPHeader]

    public init(from: String, to: [String], subject: String, textBody: String, extraHeaders: [SMTPHeader] = []) {
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
        self.extraHeaders = extraHeaders
    }
}

/// One extra header field of an ``SMTPMail``.
public struct SMTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// `X-QLP-Idempotency-Key`, which lets a receiver drop a repeated alert mail.
    public static func idempotencyKey(_ key: String) -> SMTPHeader { SMTPHeader("X-QLP-Idempotency-Key", key) }

    /// `Message-ID`; `id` includes the angle brackets (`<alert-42@qlp.example>`).
    public static func messageID(_ id: String) -> SMTPHeader { SMTPHeader("Message-ID", id) }
}
