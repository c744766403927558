import Foundation
import QLPTestSupport
import Testing

/// Issue 16, item 4 (acceptance 3): with `azure.monitor.discover: true` and no
/// resources listed, `qlp doctor --demo` names what the emulator's resource
/// group listing gave, and `qlp demo`'s Monitor view is filled from it, each
/// resource with its type's default metrics.
@Suite(.serialized, .timeLimit(.minutes(4))) struct MonitorDiscoveryEndToEndTests {
    static let repoConfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../config/qlp.yaml").standardized.path

    /// config/qlp.yaml with discovery on (its resources stay commented out).
    static func discoveringConfig(_ scratch: ScratchDirectory) throws -> String {
        let original = try String(contentsOfFile: repoConfig, encoding: .utf8)
        let anchor = "  resource_group: quantumlayer-prod\n"
        try #require(
            original.contains(anchor) && !original.contains("\n  monitor:"),
            "config/qlp.yaml's azure section changed shape; update this test")
        let path = scratch.path + "/qlp.yaml"
        try original.replacingOccurrences(of: anchor, with: anchor + "  monitor:\n    discover: true\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func environment(_ scratch: ScratchDirectory) -> [String: String] {
        [
            "XDG_STATE_HOME": scratch.path + "/state", "XDG_CONFIG_HOME": scratch.path + "/config", "HOME": scratch.path,
            "LANG": "C.UTF-8", "TZ": "UTC", "AZURE_TENANT_ID": "tenant-e2e", "AZURE_SUBSCRIPTION_ID": "sub-e2e",
        ]
    }

    @Test func doctorListsTheDiscoveredResourcesAndChecksTheirMetrics() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = try Self.discoveringConfig(scratch)
        let result = try await Subprocess.run(
            [QLPBinary.path, "doctor", "--demo", "--config", path], environment: Self.environment(scratch))
        // Doctor wraps long details onto indented lines: compare with the whitespace folded.
        let output = result.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(
            output.contains("discovered 10 resources of 10 in quantumlayer-prod: qlp-aks, qlp-sql/quantumlayer, qlp-redis"), "\(output)")
        // Each discovered resource's default metrics are checked against its definitions, and all exist.
        for name in ["qlp-openai", "qlp-appinsights", "qlp-frontdoor"] {
            #expect(output.contains("metrics: \(name)"), "\(name) in:\n\(output)")
        }
        #expect(!output.contains("no metric named"), "\(output)")
    }

    @Test func theDemosMonitorViewIsFilledFromDiscovery() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = try Self.discoveringConfig(scratch)
        let status = ExitStatusFile(scratch)
        let tmux = try await TmuxSession.start(
            command: "sh -c '\(status.recording("\(QLPBinary.path) demo --config \(path) --emulator-port \(try freeLoopbackPort())"))'",
            width: 120, height: 50, environment: Self.environment(scratch))
        defer { tmux.kill() }
        try await tmux.waitFor("the Overview", timeout: TmuxSession.firstScreenTimeout) { $0.contains("AZURE CREDITS") }
        try await tmux.send("5")
        // The resource is named on its first metric's row only.
        func row(_ resource: String, _ metric: String, in screen: String) -> Substring? {
            screen.split(separator: "\n").first { $0.contains(resource) && $0.contains(" \(metric) ") }
        }
        func row(_ metric: String, in screen: String) -> Substring? {
            screen.split(separator: "\n").first { $0.contains(" \(metric) ") }
        }
        let screen = try await tmux.waitFor("discovered resources with their default metrics") {
            $0.contains("fetched") && row("qlp-openai", "ProcessedPromptTokens", in: $0) != nil && row("TotalErrors", in: $0) != nil
                && row("qlp-builder", "CpuUsage", in: $0) != nil
        }
        for (resource, metric) in [
            ("qlp-aks", "node_cpu_usage_percentage"), ("qlp-sql/quantumlayer", "cpu_percent"),
            ("qlp-redis", "percentProcessorTime"), ("qlp-frontdoor", "RequestCount"), ("qlp-functions", "Requests"),
            ("qlp-workers", "CpuUsage"), ("qlp-appinsights", "requests/failed"),
        ] {
            let line = try #require(row(resource, metric, in: screen), "\(resource) \(metric) in:\n\(screen)")
            #expect(line.contains { "▁▂▃▄▅▆▇█".contains($0) }, "a sparkline on \(line)")
        }
        for metric in [
            "node_memory_working_set_percentage", "dtu_consumption_percent", "usedmemorypercentage", "TotalLatency", "Http5xx",
            "MemoryUsage", "TotalErrors", "requests/duration",
        ] {
            let line = try #require(row(metric, in: screen), "\(metric) in:\n\(screen)")
            #expect(line.contains { "▁▂▃▄▅▆▇█".contains($0) }, "a sparkline on \(line)")
        }
        // Not the demo's hand-picked list: Redis's default pair, not its first three metrics.
        #expect(!screen.contains("serverLoad"), "\(screen)")
        #expect(!screen.contains("failed:"), "\(screen)")
        try await tmux.send("q")
        #expect(try await status.wait() == "0")
    }
}
