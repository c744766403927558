import Foundation
import QLPCore
import QLPHTTP
import QLPNotify
import QLPStore
import Synchronization

/// A transport that answers from a script (then 200) and records every request.
final class ScriptedTransport: HTTPTransport {
    enum Reply: Sendable {
        case status(Int, headers: HTTPHeaders = HTTPHeaders(), body: String = "")
        case error(HTTPTransportError)
    }

    let replies: Mutex<[Reply]>
    let requests = Mutex<[HTTPRequest]>([])

    init(_ replies: [Reply] = []) { self.replies = Mutex(replies) }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        requests.withLock { $0.append(request) }
        let reply = replies.withLock { $0.isEmpty ? Reply.status(200, body: "ok") : $0.removeFirst() }
        switch reply {
        case .status(let status, let headers, let body): return HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
        case .error(let error): throw error
        }
    }

    var sent: [HTTPRequest] { requests.withLock { $0 } }
}

/// A clock that moves only when told: `sleep` waits until `advance` passes the deadline.
final class ManualClock: NotifierClock {
    private let state: Mutex<Date>

    init(_ start: Date = NotifyFixtures.t0) { state = Mutex(start) }

    func now() -> Date { state.withLock { $0 } }

    func advance(seconds: TimeInterval) { state.withLock { $0 = $0.addingTimeInterval(seconds) } }

    func set(_ date: Date) { state.withLock { $0 = date } }

    func sleep(until deadline: Date) async throws {
        while now() < deadline {
            try Task.checkCancellation()
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

/// A clock whose sleeps return at once, moving time to the deadline: a run
/// loop driven by it goes through hours of backoff in milliseconds.
final class SkippingClock: NotifierClock {
    private let state: Mutex<Date>

    init(_ start: Date = NotifyFixtures.t0) { state = Mutex(start) }

    func now() -> Date { state.withLock { $0 } }

    func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        state.withLock { $0 = max($0, deadline) }
        await Task.yield()
    }
}

/// A mailer that records what it is given and answers from a script.
final class RecordingMailer: AlertMailer {
    let failures: Mutex<[any Error & Sendable]>
    let sent = Mutex<[(subject: String, body: String, key: String, sink: String)]>([])

    init(failures: [any Error & Sendable] = []) { self.failures = Mutex(failures) }

    func send(subject: String, body: String, idempotencyKey: String, sink: NotificationSink) async throws -> String {
        sent.withLock { $0.append((subject, body, idempotencyKey, sink.name)) }
        if let failure = failures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { throw failure }
        return "250 2.0.0 queued"
    }
}

enum NotifyFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30
    /// The secret parts of the sinks' URLs, which no error, log or result may show.
    static let slackToken = "T0000000/B0000000/SlackSecretToken123"
    static let slackURL = "https://hooks.slack.com/services/\(slackToken)"
    static let teamsURL = "https://example.webhook.office.com/webhookb2/TeamsSecretPath456@tenant/IncomingWebhook/abc/def"
    static let webhookURL = "https://alerts.example.com/hook?token=WebhookSecretQuery789"
    static let secrets = ["SlackSecretToken123", "TeamsSecretPath456", "WebhookSecretQuery789", "smtp-password-0"]

    static func alert(
        _ key: String = "budget.monthly.95", severity: AlertSeverity = .critical, source: AlertSource = .budget,
        text: String = "Monthly budget is 96% spent (£960.00 of £1,000.00) with 9 days to go.",
        headline: String? = "monthly budget past 95%"
    ) -> Alert {
        Alert(key: key, severity: severity, source: source, text: text, headline: headline)
    }

    static func raised(_ alert: Alert = alert(), at: Date = t0) -> AlertTransition {
        AlertTransition(kind: .raised, alert: alert, raisedAt: at, at: at)
    }

    static func webhookSink(
        _ name: String = "oncall", url: String = webhookURL, minSeverity: AlertSeverity = .warning,
        sources: Set<AlertSource> = Set(AlertSource.allCases)
    ) -> NotificationSink {
        NotificationSink(name: name, destination: .webhook(url: Secret(url)), minSeverity: minSeverity, sources: sources)
    }

    static func emailSink(_ name: String = "finance-mail") -> NotificationSink {
        NotificationSink(
            name: name,
            destination: .email(
                EmailSinkSettings(
                    smtpURL: "smtps://smtp.example.com:465", host: "smtp.example.com", port: 465, security: .implicitTLS,
                    username: "alerts@example.com", password: Secret("smtp-password-0"), from: "qlp@example.com",
                    to: ["finance@example.com"])))
    }

    /// A fresh directory under the system's temporary one; the caller removes it.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "qlp-notify-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func json(_ bytes: [UInt8]) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] ?? [:]
    }

    /// Fails the test when `text` holds any secret.
    static func containsSecret(_ text: String) -> Bool {
        secrets.contains { text.contains($0) }
    }
}
