import Foundation
import QLPCore
import QLPHTTP

/// The notifier's mail sent through libcurl's SMTP (``CurlMailTransport``):
/// an email sink's settings become the SMTP server, the idempotency key the
/// Message-ID (mail systems drop a repeat by it) and an X-QLP-Idempotency-Key.
public struct SMTPAlertMailer: AlertMailer {
    let transport: any MailTransport
    let timeout: Duration

    public init(transport: any MailTransport = CurlMailTransport(), timeout: Duration = .seconds(30)) {
        self.transport = transport
        self.timeout = timeout
    }

    public func send(subject: String, body: String, idempotencyKey: String, sink: NotificationSink) async throws -> String {
        guard case .email(let email) = sink.destination else {
            throw AlertMailerRefusal(reason: "sink '\(sink.name)' is not an email sink")
        }
        let mail = SMTPMail(
            from: email.from, to: email.to, subject: subject, textBody: body,
            extraHeaders: [
                .messageID("<\(idempotencyKey)@qlp.alerts>"), .idempotencyKey(idempotencyKey),
            ])
        do {
            let receipt = try await transport.send(mail, via: Self.server(email, timeout: timeout))
            return "\(receipt.replyCode) \(receipt.reply)".trimmingCharacters(in: .whitespaces)
        } catch {
            // Refusals the server (or the message) will repeat fail at once; the rest are tried again.
            switch error.kind {
            case .loginDenied, .recipientRefused, .messageRefused, .badMessage, .invalidServer:
                throw AlertMailerRefusal(reason: error.description)
            default:
                throw error
            }
        }
    }

    /// The SMTP server an email sink names.
    static func server(_ email: EmailSinkSettings, timeout: Duration) -> SMTPServer {
        let starttls: SMTPStartTLS =
            switch email.security {
            case .implicitTLS: .required
            case .startTLS(.required): .required
            case .startTLS(.optional): .optional
            case .startTLS(.never): .never
            }
        return SMTPServer(
            url: email.smtpURL, username: email.username, password: email.password.map { SMTPPassword($0.reveal()) },
            starttls: starttls, timeout: timeout)
    }
}
