import Foundation
import QLPHTTP
import QLPTestSupport
import Testing

/// The gateway's traffic alerts in `qlp demo`'s Alerts view, raised by real
/// traffic: the demo's own clients through the embedded gateway to the
/// emulator, with the chat route given a latency SLO its models cannot meet
/// and then one deployment answering 429.
@Suite(.serialized) struct GatewayAlertsEndToEndTests {
    static let repoConfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../config/qlp.yaml").standardized.path

    func environment(_ scratch: ScratchDirectory) -> [String: String] {
        [
            "XDG_STATE_HOME": scratch.path + "/state", "XDG_CONFIG_HOME": scratch.path + "/config",
            "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC", "USER": "oncall",
        ]
    }

    /// The repository's config with a 100 ms SLO on chat and a breaker that
    /// does not open (so requests keep meeting the 429 and falling back).
    func config(in scratch: ScratchDirectory) throws -> String {
        let original = try String(contentsOfFile: Self.repoConfig, encoding: .utf8)
        let chat = "      fallback: [gpt35, llama3, mistral]\n"
        let breaker = "    minimum_requests: 5 "
        #expect(
            original.contains("    chat:\n      policy: weighted\n") && original.contains(chat) && original.contains(breaker),
            "config/qlp.yaml changed shape; update this test's edits")
        let text =
            original
            .replacingOccurrences(of: chat, with: chat + "      latency_slo: 100ms\n")
            .replacingOccurrences(of: breaker, with: "    minimum_requests: 100000 ")
        let path = scratch.path + "/qlp.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func sloBreachThrottlingAndFallbackStormAppearAndClear() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let port = try freeLoopbackPort()
        let tmux = try await TmuxSession.start(
            command: "\(QLPBinary.path) demo --config \(try config(in: scratch)) --emulator-port \(port)",
            width: 120, height: 30, environment: environment(scratch))
        defer { tmux.kill() }
        try await tmux.waitFor("the Overview", timeout: TmuxSession.firstScreenTimeout) { $0.contains("MONTHLY BUDGET") }
        try await tmux.send("6")
        // The demo's chat models take hundreds of milliseconds: the 100 ms SLO is breached.
        try await tmux.waitFor("the latency SLO breach") { $0.contains("chat: p95 ") && $0.contains(" ms over its 100 ms SLO") }

        let transport = CurlTransport()
        defer { transport.shutdown() }
        let fault = "http://127.0.0.1:\(port)/_emulator/faults/model/gpt4-deployment"
        let set = try await transport.send(
            HTTPRequest(
                method: .put, url: fault, headers: ["Content-Type": "application/json"],
                body: Array(#"{"status":429}"#.utf8)))
        #expect(set.status == 200)
        // gpt4 takes 40% of chat by weight; each of those meets a 429 and falls back to gpt35.
        let storm = try await tmux.waitFor("throttling and a fallback storm") {
            $0.contains("gpt4: throttled ") && $0.contains(" (429)") && $0.contains("chat: ") && $0.contains("served by fallbacks")
        }
        #expect(!storm.contains("circuit breaker open"), "the test's breaker never opens:\n\(storm)")

        let cleared = try await transport.send(HTTPRequest(method: .delete, url: fault))
        #expect(cleared.status == 204)
        // Once the window has forgotten the last 429 and clearAfterSeconds have passed, both clear; the SLO breach stays.
        try await tmux.waitFor("throttling and the storm cleared") { screen in
            let lines = screen.split(separator: "\n")
            let throttled = lines.filter { $0.contains("gpt4: throttled ") }
            let storm = lines.filter { $0.contains("served by fallbacks") }
            return !throttled.isEmpty && !storm.isEmpty && (throttled + storm).allSatisfy { $0.contains("cleared") }
                && lines.contains { $0.contains("over its 100 ms SLO") && $0.contains("OPEN") }
        }
        try await tmux.send("q")
    }
}
