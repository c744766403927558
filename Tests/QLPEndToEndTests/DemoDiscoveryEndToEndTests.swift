import Foundation
import QLPTestSupport
import Testing

/// Issue 17, items 6 and 8: a running `qlp demo` can be found (its addresses
/// and its own admin token on the `?` screen, `qlp routes` with no flags finds
/// it), and restarting it is not a config edit.
@Suite(.serialized, .timeLimit(.minutes(5))) struct DemoDiscoveryEndToEndTests {
    /// No QLP_ADMIN_TOKEN: the demo's own token is all there is.
    static func environment(_ scratch: ScratchDirectory) -> [String: String] {
        [
            "XDG_STATE_HOME": scratch.path + "/state", "XDG_CONFIG_HOME": scratch.path + "/config", "HOME": scratch.path,
            "LANG": "C.UTF-8", "TZ": "UTC", "USER": "e2e-dana",
        ]
    }

    /// `qlp demo` in tmux until `q`, its exit status recorded in `status`.
    static func startDemo(_ scratch: ScratchDirectory, status: ExitStatusFile) async throws -> TmuxSession {
        try await TmuxSession.start(
            command: "sh -c '\(status.recording("\(QLPBinary.path) demo"))'", width: 100, height: 30,
            environment: environment(scratch))
    }

    /// Presses `q` and waits for the demo's exit status.
    static func quit(_ tmux: TmuxSession, _ status: ExitStatusFile) async throws -> String {
        try await tmux.send("q")
        return try await status.wait() ?? "none"
    }

    /// Acceptance 6: the emulator listens on a new port each run; that is not an edit of the config's routes.
    @Test func restartingTheDemoFiveTimesAddsNoAuditEntry() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        for run in 1...5 {
            let status = ExitStatusFile(scratch)
            let tmux = try await Self.startDemo(scratch, status: status)
            defer { tmux.kill() }
            try await tmux.waitFor("the Overview (run \(run))", timeout: TmuxSession.firstScreenTimeout) {
                $0.contains("DEMO") && $0.contains("MONTHLY BUDGET")
            }
            #expect(try await Self.quit(tmux, status) == "0", "run \(run) did not exit 0")
        }
        let status = ExitStatusFile(scratch)
        let tmux = try await Self.startDemo(scratch, status: status)
        defer { tmux.kill() }
        try await tmux.waitFor("the Overview", timeout: TmuxSession.firstScreenTimeout) {
            $0.contains("DEMO") && $0.contains("MONTHLY BUDGET")
        }
        try await tmux.send("7")
        let audit = try await tmux.waitFor("the seed in the Audit view") { $0.contains("seeded from the config file") }
        let edits = audit.components(separatedBy: "\n").filter { $0.contains("config file edited") }
        #expect(edits.isEmpty, "restarts were audited as config edits:\n\(audit)")
        _ = try await Self.quit(tmux, status)
    }

    /// Acceptance 5 and item 6: `qlp routes show` beside a running demo, with no flags and no token in the
    /// environment, prints the demo's table and says on stderr which gateway it used; `?` shows the same
    /// addresses and the demo's token; the discovery file is private and goes with a clean exit.
    @Test func routesShowWithNoFlagsFindsTheRunningDemo() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let running = scratch.path + "/state/qlp/running"
        let status = ExitStatusFile(scratch)
        let tmux = try await Self.startDemo(scratch, status: status)
        defer { tmux.kill() }
        try await tmux.waitFor("the Overview", timeout: TmuxSession.firstScreenTimeout) {
            $0.contains("DEMO") && $0.contains("MONTHLY BUDGET")
        }

        let files = try FileManager.default.contentsOfDirectory(atPath: running).filter { $0.hasSuffix(".json") }
        #expect(files.count == 1, "expected one discovery file in \(running), found \(files)")
        if let file = files.first {
            let mode = try FileManager.default.attributesOfItem(atPath: running + "/" + file)[.posixPermissions] as? Int
            #expect(mode == 0o600, "the discovery file holds the demo's token: it must be 0600, is \(String(mode ?? 0, radix: 8))")
        }

        let shown = try await Subprocess.run([QLPBinary.path, "routes", "show"], environment: Self.environment(scratch))
        #expect(shown.status == 0, "routes show failed: \(shown.error)")
        #expect(shown.output.contains("chat") && shown.output.contains("gpt4"), "not the demo's table:\n\(shown.output)")
        let said = try #require(
            shown.error.components(separatedBy: "\n").first { $0.hasPrefix("qlp: using the demo gateway at http://127.0.0.1:") },
            "stderr does not say which gateway: \(shown.error)")
        #expect(said.contains(", pid "), "\(said)")
        let audited = try await Subprocess.run([QLPBinary.path, "routes", "audit"], environment: Self.environment(scratch))
        #expect(audited.status == 0 && audited.output.contains("seeded from the config file"), "\(audited.output)\(audited.error)")

        // The ? screen names the admin address `qlp routes` used, and the demo's own token.
        let admin = try #require(Self.adminAddress(in: said), "no admin address in: \(said)")
        try await tmux.send("?")
        let help = try await tmux.waitFor("the help with the demo's addresses") { $0.contains(admin) }
        #expect(help.contains("token"), "the demo's admin token is not on the ? screen:\n\(help)")
        try await tmux.send("Escape")

        #expect(try await Self.quit(tmux, status) == "0")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: running)) ?? []
        #expect(left.filter { $0.hasSuffix(".json") }.isEmpty, "the discovery file outlived the demo: \(left)")
    }

    /// "http://127.0.0.1:N" after "admin " in the line `qlp routes` says which gateway it used.
    static func adminAddress(in line: String) -> String? {
        guard let start = line.range(of: "admin http://127.0.0.1:") else { return nil }
        let address = line[start.lowerBound...].dropFirst("admin ".count).prefix { $0 != "," && $0 != ")" && $0 != " " }
        return address.isEmpty ? nil : String(address)
    }

    /// A headless `qlp gateway` announces itself the same way, with no token in its file (its token is the
    /// config's secret), and takes the file back when it stops.
    @Test func aHeadlessGatewayIsFoundTooAndItsFileHoldsNoToken() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let token = "adm-e2e-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let path = try GatewayProcess.config(azure: 9, ollama: 9, port: port, adminPort: adminPort, scratch: scratch)
        let config = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "  probe_interval: 0s", with: "  probe_interval: 0s\n  admin_token: \"\(token)\"")
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(config: path, port: port, adminPort: adminPort, scratch: scratch)
        var stopped = false
        // Stopped once only: a second SIGTERM could reach another process given the same pid.
        defer { if !stopped { gateway.stop() } }
        let running = scratch.path + "/state/running"
        let files = try FileManager.default.contentsOfDirectory(atPath: running).filter { $0.hasSuffix(".json") }
        #expect(files == ["\(gateway.process.pid).json"], "\(files)")
        let record = try String(contentsOfFile: running + "/\(gateway.process.pid).json", encoding: .utf8)
        #expect(!record.contains("admin_token") && !record.contains(token), "a real gateway's token was written down:\n\(record)")

        // The config names the state directory; the token comes from it too.
        let shown = try await Subprocess.run([QLPBinary.path, "routes", "show", "--config", path], environment: Self.environment(scratch))
        #expect(shown.status == 0 && shown.output.contains("chat"), "\(shown.output)\(shown.error)")
        #expect(
            shown.error.contains(
                "qlp: using the gateway at http://127.0.0.1:\(port) (admin http://127.0.0.1:\(adminPort), pid \(gateway.process.pid))"),
            "\(shown.error)")
        await gateway.terminate()
        stopped = true
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: running)) ?? []).filter { $0.hasSuffix(".json") }.isEmpty)
    }

    /// A discovery file left by a killed process names a dead pid: it is passed over, and said so.
    @Test func aStaleDiscoveryFileIsIgnoredAndSaidSo() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let running = scratch.path + "/state/qlp/running"
        try FileManager.default.createDirectory(atPath: running, withIntermediateDirectories: true)
        // pid_max is at most 4194304 on Linux: this pid cannot be running.
        let stale =
            #"{"kind":"demo","pid":4194999,"gateway":"http://127.0.0.1:9","admin":"http://127.0.0.1:9","started":"2026-01-01T00:00:00Z"}"#
        try stale.write(toFile: running + "/4194999.json", atomically: true, encoding: .utf8)
        let shown = try await Subprocess.run([QLPBinary.path, "routes", "show"], environment: Self.environment(scratch))
        #expect(shown.status != 0)
        #expect(shown.error.contains("4194999.json") && shown.error.contains("not running"), "\(shown.error)")
        #expect(!shown.error.contains("using the demo gateway"), "\(shown.error)")
    }
}
