import Foundation
import Testing

/// Issue 17, item 8: restarting `qlp demo` is not a config edit.
@Suite(.serialized, .timeLimit(.minutes(3))) struct DemoDiscoveryEndToEndTests {
    static func environment(_ scratch: ScratchDirectory) -> [String: String] {
        ["XDG_STATE_HOME": scratch.path + "/state", "XDG_CONFIG_HOME": scratch.path + "/config", "HOME": scratch.path,
         "LANG": "C.UTF-8", "TZ": "UTC", "USER": "e2e-dana"]
    }

    /// `qlp demo` in tmux until `q`; its exit status lands in `scratch/exit-status`.
    static func startDemo(_ scratch: ScratchDirectory) throws -> TmuxSession {
        let status = scratch.path + "/exit-status"
        try? FileManager.default.removeItem(atPath: status)
        return try TmuxSession(command: "sh -c '\(QLPBinary.path) demo; echo $? > \(status)'", width: 100, height: 30,
                               environment: environment(scratch))
    }

    /// Presses `q` and waits for the demo's exit status.
    static func quit(_ tmux: TmuxSession, _ scratch: ScratchDirectory) async throws -> String {
        try tmux.send("q")
        let status = scratch.path + "/exit-status"
        let deadline = ContinuousClock.now + .seconds(15)
        while !FileManager.default.fileExists(atPath: status), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        return (try? String(contentsOfFile: status, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "none"
    }

    /// Acceptance 6: the emulator listens on a new port each run; that is not an edit of the config's routes.
    @Test func restartingTheDemoFiveTimesAddsNoAuditEntry() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        for run in 1...5 {
            let tmux = try Self.startDemo(scratch)
            defer { tmux.kill() }
            try await tmux.waitFor("the Overview (run \(run))") { $0.contains("DEMO") && $0.contains("MONTHLY BUDGET") }
            #expect(try await Self.quit(tmux, scratch) == "0", "run \(run) did not exit 0")
        }
        let tmux = try Self.startDemo(scratch)
        defer { tmux.kill() }
        try await tmux.waitFor("the Overview") { $0.contains("DEMO") && $0.contains("MONTHLY BUDGET") }
        try tmux.send("7")
        let audit = try await tmux.waitFor("the seed in the Audit view") { $0.contains("seeded from the config file") }
        let edits = audit.components(separatedBy: "\n").filter { $0.contains("config file edited") }
        #expect(edits.isEmpty, "restarts were audited as config edits:\n\(audit)")
        _ = try await Self.quit(tmux, scratch)
    }
}
