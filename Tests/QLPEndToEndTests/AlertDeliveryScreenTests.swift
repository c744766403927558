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
        let tmux = try TmuxSession(
            command: "\(QLPBinary.path) demo --config \(path) --emulator-port \(try freeLoopbackPort())",
            width: 80, height: 24,
            environment: [
                "XDG_STATE_HOME": scratch.path + "/state", "XDG_CONFIG_HOME": scratch.path + "/config",
                "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC",
            ])
        defer { tmux.kill() }
        try await tmux.waitFor("the Overview") { $0.contains("AZURE CREDITS") }
        try tmux.send("6")
        let screen = try await tmux.waitFor("every sink's state") {
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
}
