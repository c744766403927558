import Foundation
import QLPCore
import QLPHTTP
import QLPNotify
import QLPStore
import Testing

/// Issue 12, acceptance 3: an alert mailed through the notifier, the outbox
/// and libcurl's SMTP to a real SMTP server on loopback (aiosmtpd); a wrong
/// password fails the delivery with the server and its reply named, and
/// never the password.
@Suite(.enabled(if: SMTPReceiver.python != nil, SMTPReceiver.unavailable), .timeLimit(.minutes(2)))
struct EmailAlertTests {
    static let raisedAt = Date(timeIntervalSince1970: 1_800_000_000)
    static let alert = Alert(
        key: "budget.monthly.95", severity: .critical, source: .budget,
        text: "monthly budget past 95%: 96% used")

    static func sink(_ receiver: SMTPReceiver, password: String) -> NotificationSink {
        NotificationSink(
            name: "finance-mail",
            destination: .email(
                EmailSinkSettings(
                    smtpURL: receiver.url, host: "127.0.0.1", port: receiver.port, security: .startTLS(.never),
                    username: "qlp-alerts", password: Secret(password), from: "qlp@example.com", to: ["finance@example.com"])))
    }

    /// Queues the raising of `alert` for `sink`, makes one delivery pass, and answers what the outbox says of it.
    static func deliver(to sink: NotificationSink) async throws -> [SinkDelivery] {
        let directory = NSTemporaryDirectory() + "qlp-email-alert-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outbox = try NotificationOutbox(path: directory + "/outbox.sqlite")
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let notifier = Notifier(
            settings: NotificationSettings(sinks: [sink]), outbox: outbox, transport: transport,
            mailer: SMTPAlertMailer(timeout: .seconds(20)))
        let queued = await notifier.submit([AlertTransition(kind: .raised, alert: alert, raisedAt: raisedAt, at: raisedAt)])
        #expect(queued == 1)
        #expect(await notifier.deliverDue() == 1)
        return try outbox.deliveries(alertKey: alert.key)
    }

    @Test func theAlertMailArrivesWithItsSubjectAndBody() async throws {
        // Made per run, as in SMTPMailTests: a password literal in the tree reads like a leaked one.
        let password = "right-" + UUID().uuidString
        try await withSMTPReceiver(user: "qlp-alerts", password: password) { receiver in
            let states = try await Self.deliver(to: Self.sink(receiver, password: password))
            guard case .sent = states.first?.status else {
                Issue.record("not sent: \(states)")
                return
            }
            let received = try receiver.received()
            try #require(received.count == 1, "\(receiver.log)")
            let mail = received[0]
            #expect(mail.rcptTos == ["finance@example.com"])
            #expect(mail.authLogin == "qlp-alerts")
            let subject = mail.header("Subject") ?? ""
            #expect(subject.contains("CRITICAL") && subject.contains("raised") && subject.contains("monthly budget past 95%"), "\(subject)")
            #expect(mail.body.contains("monthly budget past 95%: 96% used"), "\(mail.body)")
            #expect(mail.header("X-QLP-Idempotency-Key")?.count == 64)
            #expect(mail.header("Message-ID")?.hasSuffix("@qlp.alerts>") == true)
        }
    }

    @Test func aWrongPasswordFailsNamingTheServerAndItsReplyButNeverThePassword() async throws {
        let wrong = "wrong-" + UUID().uuidString
        try await withSMTPReceiver(user: "qlp-alerts", password: "right-" + UUID().uuidString) { receiver in
            let states = try await Self.deliver(to: Self.sink(receiver, password: wrong))
            guard case .failed(let reason) = states.first?.status else {
                Issue.record("a refused login is not retried, it fails: \(states)")
                return
            }
            #expect(reason.contains("127.0.0.1:\(receiver.port)"), "\(reason)")
            #expect(reason.contains("535"), "\(reason)")
            #expect(reason.contains("login denied"), "\(reason)")
            #expect(!reason.contains(wrong))
            #expect(try receiver.received().isEmpty)
        }
    }
}
