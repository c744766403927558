import Foundation
import QLPHTTP
import QLPTestSupport
import Testing

/// CurlMailTransport against a real SMTP server: Support/smtp_receiver.py
/// (aiosmtpd) on loopback. Skipped, saying why, where no Python with aiosmtpd
/// is found (scripts/test installs one into .build/pyenv).
@Suite(.enabled(if: SMTPReceiver.python != nil, SMTPReceiver.unavailable), .timeLimit(.minutes(2)))
struct SMTPMailDeliveryTests {
    let transport = CurlMailTransport()

    @Test func aNonASCIISubjectAndBodyArriveAsWritten() async throws {
        try await withSMTPReceiver { receiver in
            let subject = "Budget alert: 95 % spent — Überschreitung im Projekt „Zoë“ 🚨 (weekly cap of 1.200 €)"
            // A lone "." would end DATA early and ".hidden" would lose its dot
            // unless libcurl dot-stuffs them, as it does.
            let body = "Hello Zoë,\n\nspend is at 95 % of the cap.\n.\n.hidden stays dotted\r\nCR-LF and LF lines mix ✓\n"
            let mail = SMTPMail(
                from: "alerts@qlp.example", to: ["ops@qlp.example", "finance@qlp.example"],
                subject: subject, textBody: body,
                extraHeaders: [.idempotencyKey("alert-42-raised"), .messageID("<alert-42@qlp.example>")])
            let receipt = try await transport.send(mail, via: SMTPServer(url: receiver.url, starttls: .never))
            #expect(receipt.replyCode == 250)
            #expect(receipt.reply.hasPrefix("250"), "\(receipt.reply)")

            let received = try receiver.received()
            try #require(received.count == 1, "\(receiver.log)")
            let message = received[0]
            #expect(message.mailFrom == "alerts@qlp.example")
            #expect(message.rcptTos == ["ops@qlp.example", "finance@qlp.example"])
            #expect(message.defects.isEmpty, "\(message.defects)")
            #expect(message.header("From") == "alerts@qlp.example")
            #expect(message.header("To") == "ops@qlp.example, finance@qlp.example")
            #expect(message.header("Subject") == subject)
            #expect(message.header("Message-ID") == "<alert-42@qlp.example>")
            #expect(message.header("X-QLP-Idempotency-Key") == "alert-42-raised")
            #expect(message.header("Date") != nil)
            #expect(message.body.replacing("\r\n", with: "\n") == body.replacing("\r\n", with: "\n"))
            // What went over the wire: 7-bit, CRLF only, short lines.
            #expect(message.content.unicodeScalars.allSatisfy { $0.isASCII })
            #expect(!message.content.replacing("\r\n", with: "").contains("\n"))
            #expect(message.content.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        }
    }

    @Test func authWithTheRightPasswordDelivers() async throws {
        let password = "pw-" + UUID().uuidString
        try await withSMTPReceiver(user: "qlp-alerts", password: password) { receiver in
            let server = SMTPServer(url: receiver.url, username: "qlp-alerts", password: SMTPPassword(password), starttls: .never)
            let receipt = try await transport.send(Self.plainMail, via: server)
            #expect(receipt.replyCode == 250)
            let received = try receiver.received()
            #expect(received.count == 1)
            #expect(received.first?.authLogin == "qlp-alerts")
        }
    }

    @Test func aWrongPasswordIsLoginDeniedAndNeverShown() async throws {
        let password = "right-" + UUID().uuidString
        let wrong = "wrong-" + UUID().uuidString
        try await withSMTPReceiver(user: "qlp-alerts", password: password) { receiver in
            let server = SMTPServer(url: receiver.url, username: "qlp-alerts", password: SMTPPassword(wrong), starttls: .never)
            do throws(SMTPError) {
                let receipt = try await transport.send(Self.plainMail, via: server)
                Issue.record("a wrong password was accepted: \(receipt.reply)")
            } catch {
                let texts = ["\(error)", String(reflecting: error), Self.dumped(error), "\(server)", Self.dumped(server)]
                #expect(error.kind == .loginDenied, "\(error)")
                #expect(error.replyCode == 535, "\(error)")
                #expect("\(error)".hasPrefix("smtp://127.0.0.1:\(receiver.port): login denied (535 "), "\(error)")
                #expect("\(error)".contains("Authentication credentials invalid"), "\(error)")
                for text in texts {
                    #expect(!text.contains(wrong), "the password appears in: \(text)")
                    #expect(!text.contains(password))
                    #expect(!text.contains(Data(wrong.utf8).base64EncodedString()))
                }
            }
            let delivered = try receiver.received()
            #expect(delivered.isEmpty)
        }
    }

    /// STARTTLS `required` against a server that offers none stops before
    /// AUTH, so the password is never sent in the clear; `optional` goes on.
    @Test func requiredSTARTTLSRefusesAServerWithoutIt() async throws {
        let password = "pw-" + UUID().uuidString
        try await withSMTPReceiver(user: "qlp-alerts", password: password) { receiver in
            let required = SMTPServer(url: receiver.url, username: "qlp-alerts", password: SMTPPassword(password))
            do throws(SMTPError) {
                _ = try await transport.send(Self.plainMail, via: required)
                Issue.record("a mail went out without the required STARTTLS")
            } catch {
                #expect(error.kind == .tlsFailed, "\(error)")
                #expect(error.curlCode == 64, "CURLE_USE_SSL_FAILED expected: \(error)")
                #expect("\(error)".hasPrefix("smtp://127.0.0.1:\(receiver.port): TLS failed"), "\(error)")
            }
            var optional = required
            optional.starttls = .optional
            let receipt = try await transport.send(Self.plainMail, via: optional)
            #expect(receipt.replyCode == 250)
            let delivered = try receiver.received()
            #expect(delivered.count == 1)
        }
    }

    static let plainMail = SMTPMail(
        from: "alerts@qlp.example", to: ["ops@qlp.example"], subject: "Gateway 5xx rate high",
        textBody: "The gateway answered 12 % of requests with 5xx in the last 5 minutes.\n")

    static func dumped(_ value: Any) -> String {
        var text = ""
        dump(value, to: &text)
        return text
    }
}

/// Failures found without any SMTP server.
@Suite(.timeLimit(.minutes(1)))
struct SMTPMailRefusalTests {
    let transport = CurlMailTransport()

    @Test func aClosedPortIsAConnectError() async throws {
        let closed = try ReservedLoopbackPort()
        let server = SMTPServer(url: "smtp://127.0.0.1:\(closed.port)", starttls: .never, timeout: .seconds(10))
        do {
            _ = try await transport.send(SMTPMailDeliveryTests.plainMail, via: server)
            Issue.record("a closed port took a mail")
        } catch {
            #expect(error.kind == .connectFailed, "\(error)")
            #expect("\(error)".hasPrefix("smtp://127.0.0.1:\(closed.port): connect failed ("), "\(error)")
            #expect(error.curlCode == 7, "CURLE_COULDNT_CONNECT expected: \(error)")
        }
        withExtendedLifetime(closed) {}
    }

    @Test func aServerThatNeverGreetsTimesOut() async throws {
        let silent = try ReservedLoopbackPort(listening: true)
        let server = SMTPServer(url: "smtp://127.0.0.1:\(silent.port)", starttls: .never, timeout: .milliseconds(500))
        let started = ContinuousClock.now
        do {
            _ = try await transport.send(SMTPMailDeliveryTests.plainMail, via: server)
            Issue.record("a silent server took a mail")
        } catch {
            #expect(error.kind == .timedOut, "\(error)")
            #expect("\(error)".hasPrefix("smtp://127.0.0.1:\(silent.port): timed out"), "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        withExtendedLifetime(silent) {}
    }

    /// The port refuses connections: had anything been sent, the error would
    /// be a connect failure, not a bad message.
    @Test(arguments: [
        SMTPMail(
            from: "alerts@qlp.example", to: ["ops@qlp.example"], subject: "Disk full\r\nBcc: victim@elsewhere.example",
            textBody: "x"),
        SMTPMail(from: "alerts@qlp.example", to: ["ops@qlp.example"], subject: "Disk full\nX-Injected: 1", textBody: "x"),
        SMTPMail(
            from: "alerts@qlp.example", to: ["ops@qlp.example>\r\nRCPT TO:<victim@elsewhere.example"],
            subject: "Disk full", textBody: "x"),
        SMTPMail(from: "alerts@qlp.example\rDATA", to: ["ops@qlp.example"], subject: "Disk full", textBody: "x"),
        SMTPMail(
            from: "alerts@qlp.example", to: ["ops@qlp.example"], subject: "Disk full", textBody: "x",
            extraHeaders: [.idempotencyKey("k1\r\nBcc: victim@elsewhere.example")]),
    ])
    func headerInjectionIsRefusedBeforeSending(_ mail: SMTPMail) async throws {
        let closed = try ReservedLoopbackPort()
        do {
            _ = try await transport.send(mail, via: SMTPServer(url: "smtp://127.0.0.1:\(closed.port)", starttls: .never))
            Issue.record("a mail with a line break in a header field was sent")
        } catch {
            #expect(error.kind == .badMessage, "\(error)")
            #expect(error.curlCode == nil, "libcurl was called: \(error)")
            let field = try #require(error.messageError?.field)
            #expect(["Subject", "To", "From", "X-QLP-Idempotency-Key"].contains(field))
            #expect(error.messageError?.problem == .lineBreak || error.messageError?.problem == .invalidAddress, "\(error)")
            #expect("\(error)".hasPrefix("smtp://127.0.0.1:\(closed.port): bad message (\(field) "), "\(error)")
            #expect(!"\(error)".contains("victim"), "the refused value is echoed: \(error)")
        }
        withExtendedLifetime(closed) {}
    }

    @Test func aURLWithCredentialsOrAnotherSchemeIsRefused() async throws {
        for url in ["smtp://user:hunter2@127.0.0.1:25", "http://127.0.0.1:25", "smtp://127.0.0.1:0", "smtp://:25"] {
            do {
                _ = try await transport.send(SMTPMailDeliveryTests.plainMail, via: SMTPServer(url: url, starttls: .never))
                Issue.record("\(url) was used")
            } catch {
                #expect(error.kind == .invalidServer, "\(error)")
                #expect(!"\(error)".contains("hunter2"), "\(error)")
            }
        }
    }
}
