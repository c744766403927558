import Foundation
import QLPTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real binary's exposure and file hygiene: where it refuses to listen,
/// and which modes its state, databases, log and reports get.
@Suite(.timeLimit(.minutes(3))) struct HardeningEndToEndTests {
    /// The permission bits of `path` (nil when it does not exist).
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    static func octal(_ mode: mode_t?) -> String { mode.map { String($0, radix: 8) } ?? "missing" }

    @Test func finding07_gatewayRefusesANonLoopbackListenerWithoutClientKeys() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = try GatewayProcess.config(azure: 9, ollama: 9, port: 0, adminPort: 0, scratch: scratch)
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "\n  listen: \"127.0.0.1:0\"", with: "\n  listen: \"0.0.0.0:0\"")
        #expect(text.contains("  listen: \"0.0.0.0:0\""))
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let process = try BackgroundProcess([QLPBinary.path, "gateway", "--config", path], outputPath: scratch.path + "/gateway.out")
        defer { process.stop() }
        // The refusal names the key that would make it safe; a gateway that starts prints "listening on" instead.
        try await process.waitForOutput("gateway.client_key_sha256", timeout: .seconds(20))
        let output = try String(contentsOfFile: scratch.path + "/gateway.out", encoding: .utf8)
        #expect(output.contains("0.0.0.0"), "got: \(output)")
        #expect(!output.contains("listening on"), "got: \(output)")
    }

    @Test func finding13_gatewayStateDirectoryDatabaseAndLogAreOwnerOnly() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try GatewayProcess.config(azure: 9, ollama: 9, port: port, adminPort: adminPort, scratch: scratch)
        // On a terminal, as an operator runs it, so it logs to dashboard.log_file (not a terminal: stderr).
        let logFile = scratch.path + "/gateway.log"
        let state = scratch.path + "/state"
        let run = PtyRun(
            arguments: [QLPBinary.path, "gateway", "--config", config],
            environment: ProcessInfo.processInfo.environment)
        let running = Task { try await run.run([.waitForOutput("listening on", timeoutSeconds: 20), .wait(seconds: 3), .signal(SIGTERM)]) }
        // While it runs (the WAL's side files go when the last connection closes). The run may first wait
        // for a dashboard turn (`MachineTurns.dashboards`), then the gateway starts: the bound is generous.
        let deadline = ContinuousClock.now + .seconds(90)
        while !FileManager.default.fileExists(atPath: state + "/routes.sqlite-shm") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        for file in ["routes.sqlite", "routes.sqlite-wal", "routes.sqlite-shm"] {
            #expect(Self.mode(state + "/" + file) == 0o600, "\(file) is \(Self.octal(Self.mode(state + "/" + file)))")
        }
        #expect(Self.mode(logFile) == 0o600, "the log is \(Self.octal(Self.mode(logFile)))")
        let outcome = try await running.value
        #expect(outcome.status == 0, "\(String(decoding: outcome.output, as: UTF8.self))")
        #expect(Self.mode(state) == 0o700, "state_dir is \(Self.octal(Self.mode(state)))")
        #expect(Self.mode(logFile) == 0o600, "the log is \(Self.octal(Self.mode(logFile)))")
    }

    @Test func finding08_aConfigFoundInTheWorkingDirectoryIsNamedOnStandardError() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let reports = ReportCommandTests()
        try FileManager.default.createDirectory(atPath: scratch.path + "/project/config", withIntermediateDirectories: true)
        let local = scratch.path + "/project/config/qlp.yaml"
        try FileManager.default.moveItem(atPath: try reports.config(in: scratch, usdRate: "0.79"), toPath: local)
        // No --config, no $QLP_CONFIG, nothing under $XDG_CONFIG_HOME: ./config/qlp.yaml is what qlp finds.
        let command =
            "cd '\(scratch.path)/project' && exec '\(QLPBinary.path)' report --from-file "
            + "'\(ReportCommandTests.fixtures)/azure-ea-actualcost-small.csv' --month 2023-09 --format csv"
        let result = try await Subprocess.run(
            ["/bin/sh", "-c", command],
            environment: [
                "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC", "PATH": "/usr/bin:/bin",
                "XDG_CONFIG_HOME": scratch.path + "/config", "XDG_STATE_HOME": scratch.path + "/state",
            ])
        #expect(result.status == 0, "stderr: \(result.error)")
        #expect(result.error.contains(local), "got: \(result.error)")
        #expect(result.error.contains("working directory"), "got: \(result.error)")
    }

    @Test func finding13_reportOutputIsOwnerOnly() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let reports = ReportCommandTests()
        let output = scratch.path + "/september.md"
        // An existing world-readable file is replaced, not written through.
        try "old".write(toFile: output, atomically: true, encoding: .utf8)
        chmod(output, 0o644)
        let result = try await reports.run(
            [
                "report", "--config", try reports.config(in: scratch, usdRate: "0.79"),
                "--from-file", ReportCommandTests.fixtures + "/azure-ea-actualcost-small.csv",
                "--month", "2023-09", "--format", "markdown", "--output", output,
            ], in: scratch)
        #expect(result.status == 0, "stderr: \(result.error)")
        #expect(Self.mode(output) == 0o600, "the report is \(Self.octal(Self.mode(output)))")
        #expect(try String(contentsOfFile: output, encoding: .utf8).contains("2023"))
    }
}
