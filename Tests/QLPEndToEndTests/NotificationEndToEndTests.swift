import Foundation
import QLPCore
import QLPEmulator
import QLPHTTP
import QLPTestSupport
import Testing

/// Issue 12 on the real binary: a headless `qlp gateway` tells people. A
/// budget threshold the emulated month has passed reaches a webhook, a Slack
/// and a Teams receiver (each in its own format) at the configured levels and
/// nowhere else; an upstream killed and brought back reaches them as a raised
/// and a cleared alert, once each; a message queued when qlp is killed -9 is
/// delivered once after the restart, with the key of the first attempt.
/// The receivers are Python's own HTTP server (Support/webhook_receiver.py).
@Suite(.serialized) struct NotificationEndToEndTests {
    /// What the emulator (seed 42, history from the first of last month) has
    /// spent this month so far: worked out from its world, not read from qlp.
    static func monthToDate(now: Date = Date()) -> Decimal {
        let today = CivilDate(now, in: TimeZone(identifier: "UTC")!)
        let world = CostWorld(seed: 42, firstDay: today.firstOfMonth.adding(months: -1))
        return world.total(from: today.firstOfMonth, to: today, at: now)
    }

    /// A monthly budget that the month so far fills to `percent`.
    static func monthlyAmount(fillingTo percent: Decimal) throws -> String {
        let spent = monthToDate()
        try #require(spent > 0, "the emulated month has no spend yet (its first minutes): run again shortly")
        var amount = spent * 100 / percent
        var rounded = Decimal()
        NSDecimalRound(&rounded, &amount, 2, .plain)
        return "\(rounded)"
    }

    static func azureSection(_ port: Int) -> String {
        """
        azure:
          tenant_id: \(DoctorCommandTests.demoTenant)
          subscription_id: \(DoctorCommandTests.demoSubscription)
          resource_group: quantumlayer-prod
          credential: client_secret
          client_id: \(DoctorCommandTests.demoClient)
          client_secret: \(EmulatorConfiguration.demoClientSecret)
          endpoints:
            authority: http://127.0.0.1:\(port)
            management: http://127.0.0.1:\(port)

        """
    }

    /// The gateway's test config with, optionally, Azure spend to read and a
    /// monthly budget of `amount` alerting at `alerts`, and `sinks`.
    static func config(
        emulator: Int, ollama: Int, port: Int, adminPort: Int, scratch: ScratchDirectory, readSpend: Bool,
        amount: String = "1000.00", alerts: String = "[50, 75]", sinks: String, breaker: String = ""
    ) throws -> String {
        var text = try String(
            contentsOfFile: try GatewayProcess.config(
                azure: emulator, ollama: ollama, port: port, adminPort: adminPort,
                scratch: scratch, breaker: breaker), encoding: .utf8)
        let monthly = "  monthly:\n    amount: 1000.00\n    alerts: [80, 95]"
        try #require(text.contains(monthly), "config/qlp.yaml's monthly budget changed shape; update this test")
        text = text.replacingOccurrences(of: monthly, with: "  monthly:\n    amount: \(amount)\n    alerts: \(alerts)")
        if readSpend { text = azureSection(emulator) + text }
        text += "\nnotifications:\n  reminder_interval: off\n  sinks:\n" + sinks
        let path = scratch.path + "/notify-gateway.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func sink(_ name: String, kind: String, url: String, extra: String = "") -> String {
        "    - name: \(name)\n      kind: \(kind)\n      url: \(url)\n" + extra
    }

    static func id(_ request: WebhookReceiver.Request) -> String { request.json["id"] as? String ?? "" }

    /// A chat request for llama3 through `gateway` five times a second until cancelled (failures are the point).
    static func llama3Traffic(_ client: CurlTransport, gateway: String) -> Task<Void, Never> {
        let body = Array(#"{"model":"llama3","max_tokens":3,"messages":[{"role":"user","content":"hi"}]}"#.utf8)
        return Task {
            while !Task.isCancelled {
                _ = try? await client.send(
                    HTTPRequest(
                        method: .post, url: gateway + "/v1/chat/completions",
                        headers: ["Content-Type": "application/json"], body: body, timeout: .seconds(5)))
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    @Test func aPassedBudgetThresholdReachesWebhookSlackAndTeamsAtTheConfiguredLevelOnly() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let receiver = try await WebhookReceiver.start(in: scratch)
        defer { receiver.stop() }
        let emulator = try await RunningEmulator.start(in: scratch)
        defer { emulator.stop() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let base = "http://127.0.0.1:\(receiver.port)"
        // 62% of the month: past 50, short of 75 (and of the example's 80 and 95).
        let config = try Self.config(
            emulator: emulator.port, ollama: emulator.port, port: port, adminPort: adminPort, scratch: scratch,
            readSpend: true, amount: try Self.monthlyAmount(fillingTo: 62),
            sinks:
                Self.sink("oncall-webhook", kind: "webhook", url: base + "/hook", extra: "      sources: [budget]\n")
                + Self.sink("team-chat", kind: "slack", url: base + "/slack", extra: "      sources: [budget]\n")
                + Self.sink("teams-channel", kind: "teams", url: base + "/teams", extra: "      sources: [budget]\n"))
        let gateway = try await GatewayProcess.start(config: config, port: port, adminPort: adminPort, scratch: scratch)
        defer { gateway.stop() }

        let all = try await receiver.waitFor("the monthly budget's 50% alert at all three sinks") { requests in
            ["/hook", "/slack", "/teams"].allSatisfy { path in
                requests.contains {
                    $0.path == path && ($0.body.contains("budget.monthly.50") || $0.body.contains("monthly budget past 50%"))
                }
            }
        }
        // A moment for anything that should not come (a second copy, another level) to arrive.
        try await Task.sleep(for: .seconds(3))
        let hooks = receiver.requests.filter { $0.path == "/hook" }
        let monthly = hooks.filter { Self.id($0).hasPrefix("budget.monthly.") }
        #expect(monthly.map(Self.id) == ["budget.monthly.50"], "\(hooks.map(\.body))")
        let body = try #require(monthly.first).json
        #expect(body["schema"] as? String == "qlp.alert.v1")
        #expect(body["transition"] as? String == "raised")
        #expect(body["severity"] as? String == "warning")
        #expect(body["source"] as? String == "budget")
        #expect((body["details"] as? String)?.hasPrefix("monthly budget past 50%: 6") == true, "\(body)")
        #expect(body["cleared_at"] is NSNull)
        #expect(body["idempotency_key"] as? String == monthly.first?.header("Idempotency-Key"))
        #expect(monthly.first?.header("Content-Type") == "application/json")
        // No level the config does not name, at any sink.
        for other in [".75", ".80", ".95"] {
            #expect(
                !receiver.requests.contains { $0.body.contains("budget.monthly\(other)") || $0.body.contains("past \(other.dropFirst())%") }
            )
        }

        // Slack: an incoming-webhook message with a fallback text and Block Kit blocks.
        let slack = try #require(all.first { $0.path == "/slack" && $0.body.contains("monthly budget past 50%") }).json
        #expect((slack["text"] as? String)?.isEmpty == false)
        let blocks = try #require(slack["blocks"] as? [[String: Any]])
        #expect(!blocks.isEmpty && blocks.count <= 50)
        #expect(blocks.allSatisfy { ["header", "section", "context", "divider"].contains($0["type"] as? String ?? "") })
        // Teams: a message whose one attachment is an Adaptive Card.
        let teams = try #require(all.first { $0.path == "/teams" && $0.body.contains("monthly budget past 50%") }).json
        #expect(teams["type"] as? String == "message")
        let attachment = try #require((teams["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        let card = try #require(attachment["content"] as? [String: Any])
        #expect(card["type"] as? String == "AdaptiveCard")
        #expect((card["body"] as? [Any])?.isEmpty == false)
    }

    @Test func anUpstreamKilledAndBroughtBackIsRaisedAndClearedOnceEach() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let receiver = try await WebhookReceiver.start(in: scratch)
        defer { receiver.stop() }
        let azure = try await EmulatorProcess(scratch: scratch)
        defer { azure.stop() }
        let ollama = try await EmulatorProcess(scratch: scratch)
        defer { ollama.stop() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try Self.config(
            emulator: azure.port, ollama: ollama.port, port: port, adminPort: adminPort, scratch: scratch,
            readSpend: false,
            sinks: Self.sink(
                "oncall-webhook", kind: "webhook", url: receiver.url,
                extra: "      sources: [gateway]\n"),
            breaker: "  breaker: {open_for: 3s}")
        let gateway = try await GatewayProcess.start(config: config, port: port, adminPort: adminPort, scratch: scratch)
        defer { gateway.stop() }

        // Traffic for llama3 throughout, five a second: what opens its breaker and, once it is back, closes it.
        let client = CurlTransport(maxConcurrentTransfers: 4)
        defer { client.shutdown() }
        let traffic = NotificationEndToEndTests.llama3Traffic(client, gateway: gateway.base)
        defer { traffic.cancel() }
        try await Task.sleep(for: .seconds(2))
        ollama.kill9()
        let down = "gateway.target down.llama3."
        let raised = try await receiver.waitFor("llama3 down") { requests in
            requests.contains { Self.id($0).hasPrefix(down) && $0.json["transition"] as? String == "raised" }
        }
        let alert = try #require(raised.first { Self.id($0).hasPrefix(down) }).json
        #expect(alert["severity"] as? String == "critical")
        #expect(alert["source"] as? String == "gateway")
        try await ollama.restart()
        let key = alert["id"] as? String ?? ""
        try await receiver.waitFor("llama3 back") { requests in
            requests.contains { Self.id($0) == key && $0.json["transition"] as? String == "cleared" }
        }
        traffic.cancel()
        try await Task.sleep(for: .seconds(2))
        let about = receiver.requests.filter { Self.id($0) == key }
        #expect(about.map { $0.json["transition"] as? String ?? "" } == ["raised", "cleared"], "\(about.map(\.body))")
        #expect(about.last?.json["raised_at"] as? String == alert["raised_at"] as? String)
        #expect(about.last?.json["cleared_at"] is String)
    }

    @Test func aMessageQueuedWhenQLPIsKilledIsDeliveredOnceAfterTheRestart() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        // The first receiver refuses everything: the message stays in the outbox.
        let refusing = try await WebhookReceiver.start(in: scratch, name: "refusing", statuses: [500])
        var stopped = false
        defer { if !stopped { refusing.stop() } }
        let emulator = try await RunningEmulator.start(in: scratch)
        defer { emulator.stop() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try Self.config(
            emulator: emulator.port, ollama: emulator.port, port: port, adminPort: adminPort, scratch: scratch,
            readSpend: true, amount: try Self.monthlyAmount(fillingTo: 62),
            sinks: Self.sink("oncall-webhook", kind: "webhook", url: refusing.url, extra: "      sources: [budget]\n"))
        let first = try await GatewayProcess.start(
            config: config, port: port, adminPort: adminPort, scratch: scratch, output: "gateway-1.out")
        var killed = false
        defer { if !killed { first.stop() } }
        let tried = try await refusing.waitFor("a first attempt") { $0.contains { Self.id($0) == "budget.monthly.50" } }
        let attempt = try #require(tried.first { Self.id($0) == "budget.monthly.50" })
        // Past the attempt (its outcome recorded), well before the retry 5 s on: kill -9.
        try await Task.sleep(for: .seconds(1.5))
        first.kill9()
        killed = true
        refusing.stop()
        stopped = true

        let accepting = try await WebhookReceiver.start(in: scratch, name: "accepting", port: refusing.port)
        defer { accepting.stop() }
        let second = try await GatewayProcess.start(
            config: config, port: port, adminPort: adminPort, scratch: scratch, output: "gateway-2.out")
        defer { second.stop() }
        try await accepting.waitFor("the queued message after the restart") { $0.contains { Self.id($0) == "budget.monthly.50" } }
        // Long enough for a second copy, or a second raising, to show.
        try await Task.sleep(for: .seconds(8))
        let delivered = accepting.requests.filter { Self.id($0) == "budget.monthly.50" }
        #expect(delivered.count == 1, "\(delivered.map(\.body))")
        // The same message: the same key, the same raising (the restart resumed the open condition).
        #expect(delivered.first?.header("Idempotency-Key") == attempt.header("Idempotency-Key"))
        #expect(delivered.first?.json["raised_at"] as? String == attempt.json["raised_at"] as? String)
        #expect(delivered.first?.json["transition"] as? String == "raised")
    }
}
