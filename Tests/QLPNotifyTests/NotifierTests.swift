import Foundation
import Logging
import QLPCore
import QLPHTTP
import QLPNotify
import QLPStore
import Synchronization
import Testing

/// Collects log lines, so tests can check that none shows a secret.
final class CollectedLog: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "test") { _ in CollectingHandler(log: self) }
    }

    var all: [String] { lines.withLock { $0 } }

    struct CollectingHandler: LogHandler {
        let log: CollectedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            log.lines.withLock { $0.append("\(event.level): \(event.message)") }
        }
    }
}

@Suite("Notifier")
struct NotifierTests {
    let t0 = NotifyFixtures.t0

    func outbox(_ directory: String) throws -> NotificationOutbox {
        try NotificationOutbox(path: directory + "/notifications.sqlite")
    }

    @Test func threeFailuresThenSuccessDeliverOnceWithOneIdempotencyKey() async throws {
        let directory = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try outbox(directory)
        let transport = ScriptedTransport([.status(500, body: "oops"), .status(500), .status(500), .status(200, body: "ok")])
        let clock = ManualClock()
        let log = CollectedLog()
        let notifier = Notifier(
            settings: NotificationSettings(sinks: [NotifyFixtures.webhookSink()]), outbox: store,
            transport: transport, clock: clock, logger: log.logger)
        let transition = NotifyFixtures.raised()
        #expect(await notifier.submit([transition]) == 1)
        // The same transition again (another process, a restart) queues nothing.
        #expect(await notifier.submit([transition]) == 0)

        #expect(await notifier.deliverDue() == 1)
        for wait in [5.0, 15, 45] {
            clock.advance(seconds: wait - 1)
            #expect(await notifier.deliverDue() == 0, "sent before its backoff of \(wait) s ran out")
            clock.advance(seconds: 1)
            #expect(await notifier.deliverDue() == 1)
        }
        clock.advance(seconds: 3600)
        #expect(await notifier.deliverDue() == 0)

        let requests = transport.sent
        #expect(requests.count == 4)
        let key = IdempotencyKey.of(transition)
        #expect(requests.allSatisfy { $0.headers["Idempotency-Key"] == key })
        #expect(requests.allSatisfy { $0.method == .post && $0.url == NotifyFixtures.webhookURL })
        #expect(requests.allSatisfy { $0.headers["Content-Type"] == "application/json" && $0.headers["User-Agent"] == "qlp" })
        #expect(Set(requests.map(\.body)).count == 1)
        let body = try NotifyFixtures.json(requests[0].body)
        #expect(body["idempotency_key"] as? String == key)

        let rows = try store.messages()
        #expect(rows.count == 1)
        #expect(rows[0].state == .delivered && rows[0].attempts == 4 && rows[0].lastError == nil)
        #expect(try store.deliveries(alertKey: transition.alert.key).map(\.status) == [.sent(at: t0.addingTimeInterval(65))])
        #expect(log.all.contains { $0.contains("notified sink 'oncall' (https://alerts.example.com)") })
        #expect(!log.all.contains { NotifyFixtures.containsSecret($0) }, "\(log.all)")
    }

    @Test func sinksGetOnlyTheSeveritiesAndSourcesTheyAskFor() async throws {
        let directory = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try outbox(directory)
        let sinks = [
            NotifyFixtures.webhookSink("critical-only", minSeverity: .critical),
            NotifyFixtures.webhookSink("gateway-only", minSeverity: .info, sources: [.gateway]),
            NotifyFixtures.webhookSink("default"),
        ]
        let notifier = Notifier(
            settings: NotificationSettings(sinks: sinks), outbox: store, transport: ScriptedTransport(),
            clock: ManualClock())
        await notifier.submit([
            NotifyFixtures.raised(NotifyFixtures.alert("budget.crit", severity: .critical, source: .budget)),
            NotifyFixtures.raised(NotifyFixtures.alert("gw.info", severity: .info, source: .gateway)),
            NotifyFixtures.raised(NotifyFixtures.alert("gw.warn", severity: .warning, source: .gateway)),
            NotifyFixtures.raised(NotifyFixtures.alert("cost.info", severity: .info, source: .costData)),
        ])
        let routed = Dictionary(grouping: try store.messages(), by: \.draft.sink).mapValues { $0.map(\.draft.alertKey).sorted() }
        #expect(routed["critical-only"] == ["budget.crit"])
        #expect(routed["gateway-only"] == ["gw.info", "gw.warn"])
        #expect(routed["default"] == ["budget.crit", "gw.warn"])
        #expect(routed.count == 3)
    }

    @Test func aRefusingReceiverFailsAtOnceAndNoSecretReachesTheRecordOrTheLog() async throws {
        let directory = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try outbox(directory)
        let slack = NotificationSink(name: "chat", destination: .slack(url: Secret(NotifyFixtures.slackURL)))
        let teams = NotificationSink(name: "teams", destination: .teams(url: Secret(NotifyFixtures.teamsURL)))
        // Slack echoes the URL it did not know; Teams' host cannot be reached (the error's endpoint holds the path).
        let transport = ScriptedTransport([
            .status(404, body: "no_service: \(NotifyFixtures.slackURL)"),
            .error(.connectionFailed(endpoint: NotifyFixtures.teamsURL, detail: "Could not resolve host")),
        ])
        let log = CollectedLog()
        let notifier = Notifier(
            settings: NotificationSettings(sinks: [slack]), outbox: store, transport: transport,
            clock: ManualClock(), logger: log.logger)
        await notifier.submit([NotifyFixtures.raised()])
        await notifier.deliverDue()
        let refused = try #require(try store.messages().first)
        #expect(refused.state == .failed)
        let reason = try #require(refused.lastError)
        #expect(reason.hasPrefix("the receiver refused it: HTTP 404: no_service: https://hooks.slack.com/…"))

        let teamsNotifier = Notifier(
            settings: NotificationSettings(sinks: [teams]), outbox: store, transport: transport,
            clock: ManualClock(), logger: log.logger)
        await teamsNotifier.submit([NotifyFixtures.raised()])
        await teamsNotifier.deliverDue()
        let unreachable = try #require(try store.messages().first { $0.draft.sink == "teams" })
        #expect(unreachable.state == .retrying)
        #expect(unreachable.lastError == "cannot connect (https://example.webhook.office.com)")

        let everything =
            try store.messages().compactMap(\.lastError) + log.all
            + [String(describing: slack), String(reflecting: teams), "\(NotificationSettings(sinks: [slack, teams]))"]
        #expect(!everything.contains { NotifyFixtures.containsSecret($0) }, "\(everything)")
        // The rendered bodies and headers kept in the outbox hold no URL either.
        let stored = try store.messages().map { String(decoding: $0.draft.body, as: UTF8.self) + "\($0.draft.headers)" }
        #expect(!stored.contains { NotifyFixtures.containsSecret($0) })
    }

    @Test func emailGoesToTheMailerOrFailsSayingEmailIsNotAvailable() async throws {
        let directory = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sink = NotifyFixtures.emailSink()
        let settings = NotificationSettings(sinks: [sink])

        let without = Notifier(settings: settings, outbox: try outbox(directory), transport: ScriptedTransport(), clock: ManualClock())
        await without.submit([NotifyFixtures.raised()])
        await without.deliverDue()
        let failed = try #require(try outbox(directory).messages().first)
        #expect(failed.state == .failed && failed.lastError == "email is not available in this build")

        let other = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: other) }
        struct Flaky: Error, CustomStringConvertible {
            var description: String { "421 try later (auth smtp-password-0 rejected)" }
        }
        let mailer = RecordingMailer(failures: [Flaky()])
        let clock = ManualClock()
        let with = Notifier(settings: settings, outbox: try outbox(other), transport: ScriptedTransport(), mailer: mailer, clock: clock)
        let transition = NotifyFixtures.raised()
        await with.submit([transition])
        await with.deliverDue()
        let retrying = try #require(try outbox(other).messages().first)
        #expect(retrying.state == .retrying)
        #expect(retrying.lastError == "smtp.example.com: 421 try later (auth <redacted> rejected)")
        clock.advance(seconds: 5)
        await with.deliverDue()
        #expect(try outbox(other).messages().first?.state == .delivered)
        let sent = mailer.sent.withLock { $0 }
        #expect(sent.count == 2 && sent.allSatisfy { $0.key == IdempotencyKey.of(transition) && $0.sink == "finance-mail" })
        #expect(sent[0].subject == "[qlp CRITICAL] raised: monthly budget past 95%")
        #expect(sent[0].body.contains("Severity:   critical"))
    }

    @Test func aMailServerRefusalIsNotRetried() async throws {
        let directory = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let mailer = RecordingMailer(failures: [AlertMailerRefusal(reason: "550 5.1.1 no such user")])
        let notifier = Notifier(
            settings: NotificationSettings(sinks: [NotifyFixtures.emailSink()]), outbox: try outbox(directory),
            transport: ScriptedTransport(), mailer: mailer, clock: ManualClock())
        await notifier.submit([NotifyFixtures.raised()])
        await notifier.deliverDue()
        let row = try #require(try outbox(directory).messages().first)
        #expect(row.state == .failed && row.lastError == "the mail server refused it: 550 5.1.1 no such user")
    }

    @Test func aMessageForASinkNoLongerConfiguredFailsSayingSo() async throws {
        let directory = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = Notifier(
            settings: NotificationSettings(sinks: [NotifyFixtures.webhookSink("old")]), outbox: try outbox(directory),
            transport: ScriptedTransport(), clock: ManualClock())
        await first.submit([NotifyFixtures.raised()])
        let after = Notifier(
            settings: NotificationSettings(sinks: [NotifyFixtures.webhookSink("new")]), outbox: try outbox(directory),
            transport: ScriptedTransport(), clock: ManualClock())
        await after.deliverDue()
        #expect(try outbox(directory).messages().first?.lastError == "sink 'old' is no longer in the config")
    }

    /// A reloaded config (SIGHUP) changes the sinks of a running notifier:
    /// a queued retry goes to the sink's new address, a sink removed gets
    /// nothing more, and one added gets what is submitted from then on.
    @Test func editedSinksApplyToWhatIsQueuedAndWhatComes() async throws {
        let directory = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try outbox(directory)
        let transport = ScriptedTransport([.status(503)])
        let clock = ManualClock()
        let old = NotifyFixtures.webhookSink("old", url: "https://old.example.com/hook", sources: [.gateway])
        let notifier = Notifier(
            settings: NotificationSettings(sinks: [NotifyFixtures.webhookSink("oncall"), old]),
            outbox: store, transport: transport, clock: clock)
        // A budget alert: oncall's alone. Its first attempt fails (503) and is due again in 5 s.
        let first = NotifyFixtures.raised()
        #expect(await notifier.submit([first]) == 1)
        #expect(await notifier.deliverDue() == 1)
        let moved = "https://moved.example.com/hook"
        await notifier.use(
            NotificationSettings(sinks: [
                NotifyFixtures.webhookSink("oncall", url: moved),
                NotifyFixtures.webhookSink("new", url: "https://new.example.com/hook"),
            ]))
        clock.advance(seconds: 5)
        #expect(await notifier.deliverDue() == 1)
        #expect(transport.sent.last?.url == moved, "the retry went to \(transport.sent.last?.url ?? "nowhere")")
        let second = NotifyFixtures.raised(NotifyFixtures.alert("gateway.slo", source: .gateway))
        #expect(await notifier.submit([second]) == 2, "one message each for oncall and new, none for old")
        let drafts = try store.messages().filter { $0.draft.alertKey == second.alert.key }.map(\.draft.sink)
        #expect(Set(drafts) == ["oncall", "new"])
    }

    /// The run loop, on a clock whose sleeps skip ahead: it sends what is
    /// due, sleeps through the backoff, and wakes when a submit comes in.
    @Test func runSendsRetriesAndWakesOnSubmit() async throws {
        let directory = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try outbox(directory)
        let transport = ScriptedTransport([.status(503, headers: ["Retry-After": "30"]), .status(200)])
        let clock = SkippingClock()
        let notifier = Notifier(
            settings: NotificationSettings(sinks: [NotifyFixtures.webhookSink()]), outbox: store,
            transport: transport, clock: clock)
        let running = Task { await notifier.run() }
        defer { running.cancel() }
        // Idle with nothing queued: the submit is what wakes it.
        try await Task.sleep(for: .milliseconds(50))
        #expect(transport.sent.isEmpty)
        await notifier.submit([NotifyFixtures.raised()])
        try await waitUntil { (try? store.messages().first?.state) == .delivered }
        #expect(transport.sent.count == 2)
        #expect(clock.now() >= t0.addingTimeInterval(30))
        await notifier.submit([NotifyFixtures.raised(NotifyFixtures.alert("gateway.slo", source: .gateway))])
        try await waitUntil { (try? store.messages().filter { $0.state == .delivered }.count) == 2 }
        running.cancel()
        await running.value
    }

    private func waitUntil(_ condition: @Sendable () -> Bool) async throws {
        for _ in 0..<500 where !condition() {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(condition(), "timed out waiting")
    }
}
