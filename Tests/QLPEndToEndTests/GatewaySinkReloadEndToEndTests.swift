import Foundation
import QLPHTTP
import QLPTestSupport
import Testing

/// Issue 16, item 5: SIGHUP takes up edited notification sinks. A gateway
/// started without sinks gets one by a reload and tells it of an upstream
/// going down; the sink's URL edited and reloaded, the same alert's clearing
/// goes to the new receiver and not the old. Before, `notifications` was
/// logged as needing a restart and the running sinks stayed.
@Suite(.serialized, .timeLimit(.minutes(4))) struct GatewaySinkReloadEndToEndTests {
    @Test func sinksAddedAndMovedBySighupReceiveTheNextAlerts() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let first = try await WebhookReceiver.start(in: scratch, name: "first")
        defer { first.stop() }
        let second = try await WebhookReceiver.start(in: scratch, name: "second")
        defer { second.stop() }
        let azure = try await EmulatorProcess(scratch: scratch)
        defer { azure.stop() }
        let ollama = try await EmulatorProcess(scratch: scratch)
        defer { ollama.stop() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let none = "    []\n"
        let config = try NotificationEndToEndTests.config(
            emulator: azure.port, ollama: ollama.port, port: port, adminPort: adminPort,
            scratch: scratch, readSpend: false, sinks: none,
            breaker: "  breaker: {open_for: 3s}")
        let gateway = try await GatewayProcess.start(config: config, port: port, adminPort: adminPort, scratch: scratch)
        defer { gateway.stop() }
        func output() -> String { (try? String(contentsOfFile: gateway.logPath, encoding: .utf8)) ?? "" }
        func occurrences(_ text: String) -> Int { output().components(separatedBy: text).count - 1 }
        func reload(sinks: String, expecting count: Int) async throws {
            let text = try String(contentsOfFile: config, encoding: .utf8)
            let section = try #require(text.range(of: "  sinks:\n"))
            try (String(text[..<section.upperBound]) + sinks).write(toFile: config, atomically: true, encoding: .utf8)
            kill(gateway.process.pid, SIGHUP)
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(20)
            while occurrences("notification sinks reloaded") < count, clock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(occurrences("notification sinks reloaded") == count, "\(output().suffix(3000))")
        }
        func sink(_ receiver: WebhookReceiver) -> String {
            NotificationEndToEndTests.sink("oncall", kind: "webhook", url: receiver.url, extra: "      sources: [gateway]\n")
        }

        try await reload(sinks: sink(first), expecting: 1)
        #expect(!output().contains("key=notifications"), "a sink change was logged as needing a restart:\n\(output().suffix(3000))")

        // Traffic for llama3 throughout, five a second: what opens its breaker and, once it is back, closes it.
        let client = CurlTransport(maxConcurrentTransfers: 4)
        defer { client.shutdown() }
        let traffic = NotificationEndToEndTests.llama3Traffic(client, gateway: gateway.base)
        defer { traffic.cancel() }
        try await Task.sleep(for: .seconds(1))
        ollama.kill9()
        let down = "gateway.target down.llama3."
        let raised = try await first.waitFor("llama3 down at the first receiver") { requests in
            requests.contains { NotificationEndToEndTests.id($0).hasPrefix(down) && $0.json["transition"] as? String == "raised" }
        }
        let key = try #require(raised.first { NotificationEndToEndTests.id($0).hasPrefix(down) }).json["id"] as? String ?? ""

        // The same sink, now at the second receiver.
        try await reload(sinks: sink(second), expecting: 2)
        try await ollama.restart()
        try await second.waitFor("llama3 back at the second receiver") { requests in
            requests.contains { NotificationEndToEndTests.id($0) == key && $0.json["transition"] as? String == "cleared" }
        }
        traffic.cancel()
        #expect(!first.requests.contains { $0.json["transition"] as? String == "cleared" }, "the old address was still told")
        #expect(gateway.process.isRunning)
    }
}
