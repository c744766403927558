import Foundation
import Testing

/// History across a restart of the real binary: Monitor points a first
/// `qlp demo` fetched are on screen in a second one whose Azure Monitor
/// fails; an unusable history file is named on screen and the dashboard runs.
@Suite(.serialized) struct HistoryRestartEndToEndTests {
    func environment(_ scratch: ScratchDirectory) -> [String: String] {
        [
            "XDG_STATE_HOME": scratch.path + "/state", "XDG_CONFIG_HOME": scratch.path + "/config",
            "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC",
        ]
    }

    /// Runs `qlp demo ARGS` until `q`, returning once it has exited.
    func run(_ arguments: String, scratch: ScratchDirectory, _ body: (TmuxSession) async throws -> Void) async throws {
        let status = ExitStatusFile(scratch)
        let tmux = try await TmuxSession.start(
            command: "sh -c '\(status.recording("\(QLPBinary.path) demo \(arguments)"))'", width: 100, height: 30,
            environment: environment(scratch))
        defer { tmux.kill() }
        try await body(tmux)
        try await tmux.send("q")
        #expect(try await status.wait() == "0")
    }

    static func sparkRows(_ screen: String) -> Int {
        screen.split(separator: "\n").filter { $0.contains { "▁▂▃▄▅▆▇█".contains($0) } }.count
    }

    @Test func monitorPointsFromTheLastRunStayOnScreenWhenAzureMonitorFails() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        try await run("", scratch: scratch) { tmux in
            try await tmux.send("5")
            try await tmux.waitFor("Monitor sparklines") {
                $0.contains("fetched") && $0.contains("LAST 3 HOURS") && Self.sparkRows($0) >= 10
            }
        }
        let faults = ["metrics", "metrics.batch", "appinsights", "loganalytics"].map { "--fault \($0)=status:503" }.joined(separator: " ")
        try await run(faults, scratch: scratch) { tmux in
            try await tmux.send("5")
            let screen = try await tmux.waitFor("kept points under the failure") {
                $0.contains("STALE: HTTP 503") && $0.contains("failed: qlp-aks")
            }
            #expect(Self.sparkRows(screen) >= 10, "\(screen)")
            let aks = screen.split(separator: "\n").first { $0.contains("qlp-aks") && $0.contains("node_cpu_usage_percentage") }
            #expect(aks.map { $0.contains { "▁▂▃▄▅▆▇█".contains($0) } } == true, "\(screen)")
        }
    }

    @Test func anUnusableHistoryFileIsNamedAndTheDashboardRuns() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let directory = scratch.path + "/state/qlp"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: directory + "/demo-series.sqlite"))
        try await run("", scratch: scratch) { tmux in
            try await tmux.waitFor("the notice naming the file") { $0.contains("demo-series.sqlite unusable") }
            try await tmux.send("5")
            try await tmux.waitFor("Monitor sparklines all the same") { $0.contains("LAST 3 HOURS") && Self.sparkRows($0) >= 10 }
        }
    }
}
