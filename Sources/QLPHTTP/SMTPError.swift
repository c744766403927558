/// Why a mail was not delivered to the SMTP server.
///
/// The description names the server as `scheme://host:port` (never user
/// info or the password) and, when there was one, the server's refusing
/// reply and libcurl's own text, with the password scrubbed out of both:
/// `smtp://127.0.0.1:2525: login denied (535 5.7.8 Authentication
/// credentials invalid; libcurl: Authentication failed: 535)`.
public struct SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// No connection: refused, host not found, or the server's greeting refused us.
        case connectFailed = "connect failed"
        /// The TLS handshake failed, or STARTTLS was required and not offered.
        case tlsFailed = "TLS failed"
        /// SMTP AUTH refused the user name and password.
        case loginDenied = "login denied"
        /// The server refused a recipient (RCPT TO).
        case recipientRefused = "recipient refused"
        /// The server refused the sender (MAIL FROM) or the message (DATA).
        case messageRefused = "server refused message"
        /// ``SMTPServer/timeout`` ran out.
        case timedOut = "timed out"
        /// The mail did not render (see ``SMTPError/messageError``); nothing was sent.
        case badMessage = "bad message"
        /// The server's settings cannot be used (not an `smtp://` or `smtps://`
        /// URL, credentials in the URL, a NUL in the password); nothing was sent.
        case invalidServer = "invalid server settings"
        /// The connection broke after it was made, without a refusal from the server.
        case connectionLost = "connection lost"
        /// The sending task was cancelled.
        case cancelled = "cancelled"
        /// Anything else libcurl reports (see ``SMTPError/curlCode``).
        case failed = "failed"
    }

    public let kind: Kind
    /// The server as `scheme://host:port`.
    public let server: String
    /// The refusing SMTP reply code (4xx or 5xx), nil when the server refused nothing.
    public let replyCode: Int?
    /// The refusing reply line as the server sent it (`535 5.7.8 ...`), password scrubbed; empty if none.
    public let serverReply: String
    /// libcurl's error-buffer text, or the reason the mail or URL was refused; password scrubbed.
    public let detail: String
    /// libcurl's CURLcode, nil when libcurl was never called.
    public let curlCode: Int?
    /// What was wrong with the mail, for ``Kind/badMessage``.
    public let messageError: SMTPMessageError?

    public init(
        kind: Kind, server: String, replyCode: Int? = nil, serverReply: String = "", detail: String = "",
        curlCode: Int? = nil, messageError: SMTPMessageError? = nil
    ) {
        self.kind = kind
        self.server = server
        self.replyCode = replyCode
        self.serverReply = serverReply
        self.detail = detail
        self.curlCode = curlCode
        self.messageError = messageError
    }

    public var description: String {
        let parts = [serverReply, detail.isEmpty ? "" : (curlCode == nil ? detail : "libcurl: " + detail)]
            .filter { !$0.isEmpty }
        return "\(server): \(kind.rawValue)" + (parts.isEmpty ? "" : " (\(parts.joined(separator: "; ")))")
    }
}
