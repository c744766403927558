import Foundation
import QLPCore
import QLPHTTP

/// Checks a sink by hand, outside the outbox: `sendTest` posts a message
/// marked as a test and reports what the receiver answered; `checkReachability`
/// only connects (name lookup, TCP, TLS), so that `qlp doctor` can check
/// every sink without ringing anyone.
public struct SinkTest: Sendable {
    private let sender: SinkSender
    private let probe: ReachabilityProbe
    private let clock: any NotifierClock

    public init(
        transport: any HTTPTransport, mailer: (any AlertMailer)? = nil, probe: ReachabilityProbe = ReachabilityProbe(),
        clock: any NotifierClock = SystemNotifierClock()
    ) {
        sender = SinkSender(transport: transport, mailer: mailer)
        self.probe = probe
        self.clock = clock
    }

    /// The transition a test message is rendered from: an info alert whose
    /// key says it is a test, new on every call (so receivers do not drop it as a repeat).
    public static func testTransition(at now: Date) -> AlertTransition {
        let alert = Alert(
            key: "qlp.test", severity: .info, source: .gateway,
            text: "This is a test message from qlp. No alert is open.", headline: "test message", at: now)
        return AlertTransition(kind: .raised, alert: alert, raisedAt: now, at: now)
    }

    /// Sends `sink` a test message now and reports the receiver's answer.
    public func sendTest(to sink: NotificationSink) async -> SinkTestResult {
        let now = clock.now()
        let draft = NotificationRendering.draft(Self.testTransition(at: now), for: sink, test: true)
        let address = Notifier.address(of: sink)
        switch await sender.attempt(draft, to: sink, now: now) {
        case .accepted(let detail):
            return SinkTestResult(sink: sink.name, address: address, outcome: .ok, detail: detail)
        case .answered(let status, _, let excerpt):
            return SinkTestResult(
                sink: sink.name, address: address, outcome: (200..<300).contains(status) ? .ok : .refused,
                status: status, detail: excerpt)
        case .unreachable(let summary):
            return SinkTestResult(sink: sink.name, address: address, outcome: .unreachable, detail: summary)
        case .impossible(let reason):
            return SinkTestResult(sink: sink.name, address: address, outcome: .unavailable, detail: reason)
        }
    }

    /// Connects to `sink`'s receiver without sending anything: for an email
    /// sink, to its SMTP server (greeting and EHLO, no login, no mail).
    public func checkReachability(_ sink: NotificationSink) async -> SinkTestResult {
        let address = Notifier.address(of: sink)
        let url: String
        switch sink.destination {
        case .webhook(let secret), .slack(let secret), .teams(let secret): url = secret.reveal()
        case .email(let email): url = email.smtpURL
        }
        // The probe's errors carry the URL's path in `endpoint`: only `summary` is shown.
        if let error = await probe.check(url: url) {
            return SinkTestResult(sink: sink.name, address: address, outcome: .unreachable, detail: error.summary)
        }
        return SinkTestResult(sink: sink.name, address: address, outcome: .ok, detail: "connected")
    }
}
