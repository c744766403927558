import Foundation
import QLPCore
import QLPNotify
import Testing

@Suite("Sink test messages")
struct SinkTestTests {
    @Test func aTestMessageIsMarkedAsATestAndTheAnswerIsReported() async throws {
        let transport = ScriptedTransport([.status(200, body: "ok")])
        let result = await SinkTest(transport: transport, clock: ManualClock()).sendTest(to: NotifyFixtures.webhookSink())
        #expect(result == SinkTestResult(sink: "oncall", address: "https://alerts.example.com", outcome: .ok, status: 200, detail: "ok"))
        let request = try #require(transport.sent.first)
        let body = try NotifyFixtures.json(request.body)
        #expect(body["test"] as? Bool == true && body["severity"] as? String == "info")
        #expect(request.headers["Idempotency-Key"] == body["idempotency_key"] as? String)
        #expect(!NotifyFixtures.containsSecret(result.description))
    }

    @Test func everyTestIsANewMessageSoReceiversDoNotDropIt() async throws {
        let transport = ScriptedTransport()
        let clock = ManualClock()
        let tester = SinkTest(transport: transport, clock: clock)
        _ = await tester.sendTest(to: NotifyFixtures.webhookSink())
        clock.advance(seconds: 1)
        _ = await tester.sendTest(to: NotifyFixtures.webhookSink())
        let keys = transport.sent.compactMap { $0.headers["Idempotency-Key"] }
        #expect(keys.count == 2 && keys[0] != keys[1])
    }

    @Test func emailIsTestedThroughTheMailerOrSaysItIsUnavailable() async {
        let sink = NotifyFixtures.emailSink()
        let mailer = RecordingMailer()
        let sent = await SinkTest(transport: ScriptedTransport(), mailer: mailer, clock: ManualClock()).sendTest(to: sink)
        #expect(sent.outcome == .ok && sent.detail == "250 2.0.0 queued" && sent.address == "smtp server smtp.example.com")
        #expect(mailer.sent.withLock { $0.first?.subject.hasPrefix("[qlp TEST] ") } == true)

        let without = await SinkTest(transport: ScriptedTransport(), clock: ManualClock()).sendTest(to: sink)
        #expect(without.outcome == .unavailable && without.detail == "email is not available in this build")
    }

    @Test func anEmailSinksServerIsCheckedWithoutSendingAndAClosedPortIsUnreachable() async {
        // Port 1 on loopback: nothing listens there, and the check must not leave the machine.
        let sink = NotificationSink(
            name: "finance-mail",
            destination: .email(
                EmailSinkSettings(
                    smtpURL: "smtp://127.0.0.1:1", host: "127.0.0.1", port: 1, security: .startTLS(.optional),
                    username: nil, password: nil, from: "qlp@example.com", to: ["finance@example.com"])))
        let mailer = RecordingMailer()
        let reach = await SinkTest(transport: ScriptedTransport(), mailer: mailer).checkReachability(sink)
        #expect(reach.outcome == .unreachable, "\(reach)")
        #expect(mailer.sent.withLock { $0.isEmpty })
    }
}
