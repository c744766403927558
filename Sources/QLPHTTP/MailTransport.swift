/// Something that hands mail to an SMTP server: ``CurlMailTransport`` in
/// production, a fake in tests of whatever sends alerts.
public protocol MailTransport: Sendable {
    /// Renders `mail`, delivers it to `server` and returns the server's
    /// final answer. Nothing is sent when the mail does not render.
    func send(_ mail: SMTPMail, via server: SMTPServer) async throws(SMTPError) -> SMTPReceipt
}

/// The server's acceptance of a mail.
public struct SMTPReceipt: Sendable, Equatable {
    /// The final reply code (CURLINFO_RESPONSE_CODE), 250 when the mail was queued.
    public let replyCode: Int
    /// The final reply line as the server sent it (`250 2.0.0 Ok: queued as 4F2A`),
    /// whose queue id lets a mail be traced in the server's logs; empty if
    /// it was not seen.
    public let reply: String

    public init(replyCode: Int, reply: String) {
        self.replyCode = replyCode
        self.reply = reply
    }
}
