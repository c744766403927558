import Foundation
import QLPTestSupport
import Testing

/// Issue 12, acceptance 6: at 80x24 the Alerts view says where each alert's
/// notifications stand: sent, retrying (with the receiver's answer and the
/// next try), failed (with the reason). `qlp demo`, with a monthly budget of
/// a penny, raises "monthly budget exceeded" on any day of any month (the
/// demo's own month-end projection crosses its budget only on some days);
/// three Python receivers, taking critical alerts only, take, stall and refuse it.
@Suite struct AlertDeliveryScreenTests {
    static let repoConfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../config/qlp.yaml").standardized.path

    @Test func theAlertsViewShowsSentRetryingAndFailedWithTheReason() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let taking = try await WebhookReceiver.start(in: scratch, name: "taking", statuses: [200])
        defer { taking.stop() }
        let stalling = try await WebhookReceiver.start(in: scratch, name: "stalling", statuses: [500])
        defer { stalling.stop() }
        let refusing = try await WebhookReceiver.start(in: scratch, name: "refusing", statuses: [404])
        defer { refusing.stop() }
        let original = try String(contentsOfFile: Self.repoConfig, encoding: .utf8)
        try #require(original.contains("  sinks: []\n"), "config/qlp.yaml's notifications changed shape; update this test")
        try #require(original.contains("    amount: 1000.00\n"), "config/qlp.yaml's monthly budget changed shape; update this test")
        let config = original.replacingOccurrences(
            of: "  sinks: []\n",
            with: """
                  sinks:
                    - name: oncall-webhook
                      kind: webhook
                      url: \(taking.url)
                      min_severity: critical
                    - name: team-chat
                      kind: slack
                      url: \(stalling.url)
                      min_severity: critical
                    - name: teams-channel
                      kind: teams
                      url: \(refusing.url)
                      min_severity: critical

                """
        ).replacingOccurrences(of: "    amount: 1000.00\n", with: "    amount: 0.01\n")
        let path = scratch.path + "/qlp.yaml"
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let tmux = try await TmuxSession.start(
            command: "\(QLPBinary.path) demo --config \(path) --emulator-port \(try freeLoopbackPort())",
            width: 80, height: 24,
            environment: [
                "XDG_STATE_HOME": scratch.path + "/state", "XDG_CONFIG_HOME": scratch.path + "/config",
                "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC",
            ])
        defer { tmux.kill() }
        try await tmux.waitFor("the Overview", timeout: TmuxSession.firstScreenTimeout) { $0.contains("AZURE CREDITS") }
        try await tmux.send("6")
        let screen = try await Self.highlightUntil(
            "every sink's state", row: "monthly budget exceeded", in: tmux
        ) {
            $0.contains("DELIVERY") && $0.contains("teams-channel failed: the receiver refused it: HTTP 404")
                && $0.contains("team-chat retrying (attempt") && $0.contains("oncall-webhook sent ")
        }
        // The column says the worst: one sink refused it.
        let row = screen.split(separator: "\n").first { $0.contains("monthly budget") && $0.contains("OPEN") }
        #expect(row?.hasSuffix("failed") == true, "\(screen)")
        #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 80 })
        // The receivers saw what the screen says: one took it, the others were asked.
        #expect(taking.requests.count == 1)
        #expect(refusing.requests.count == 1)
        #expect(!stalling.requests.isEmpty)
    }

    /// Polls the Alerts view until `condition` holds, keeping the highlight on
    /// the row that contains `row` (its delivery shows only when it is
    /// highlighted). Other alerts can come first or arrive meanwhile (on a
    /// loaded machine the demo's embeddings breach their SLO), so the test
    /// moves the highlight there as a person would: to the top, then down.
    static func highlightUntil(
        _ what: String, row: String, in tmux: TmuxSession, timeout: Duration = .seconds(60), _ condition: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var screen = ""
        while ContinuousClock.now < deadline {
            screen = await tmux.screen()
            if condition(screen) { return screen }
            let (rows, detail) = tableAndDetail(screen)
            if let place = rows.firstIndex(where: { $0.contains(row) }), !detail.contains(where: { $0.contains(row) }) {
                try await tmux.command(
                    ["send-keys", "-t", "t"] + Array(repeating: "k", count: rows.count) + Array(repeating: "j", count: place))
                try await Task.sleep(for: .seconds(1))
            } else {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        throw WaitFailure(description: "timed out waiting for \(what); the screen was:\n\(screen)")
    }

    /// The Alerts table's rows, and the lines under it (the highlighted alert's
    /// detail), without the key bar.
    static func tableAndDetail(_ screen: String) -> (rows: [String], detail: [String]) {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let header = lines.firstIndex(where: { $0.contains("TIME") && $0.contains("SEVERITY") }) else { return ([], []) }
        let rest = lines[(header + 1)...]
        let end = rest.firstIndex { $0.trimmingCharacters(in: .whitespaces).isEmpty } ?? rest.endIndex
        return (Array(rest[..<end]), lines[end...].filter { !$0.hasPrefix(" q quit") })
    }
}
