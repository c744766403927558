import Foundation
import QLPHTTP
import QLPTestSupport
import Testing

/// The real binary in a real terminal (tmux), as an on-call engineer runs it.
@Suite(.serialized) struct DemoEndToEndTests {
    func environment(_ scratch: ScratchDirectory) -> [String: String] {
        // A private state directory (no cache from other runs), no config lookup
        // outside the scratch directory, and a UTF-8 locale.
        [
            "XDG_STATE_HOME": scratch.path + "/state", "XDG_CONFIG_HOME": scratch.path + "/config",
            "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC",
        ]
    }

    @Test func overviewAppearsAndQExitsZero() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: QLPBinary.path), "build qlp first: \(QLPBinary.path)")
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let status = ExitStatusFile(scratch)
        let tmux = try await TmuxSession.start(
            command: "sh -c '\(status.recording("\(QLPBinary.path) demo"))'", width: 80, height: 24,
            environment: environment(scratch))
        defer { tmux.kill() }
        let screen = try await tmux.waitFor("the Overview with cost data", timeout: TmuxSession.firstScreenTimeout) {
            $0.contains("old (fetched") && $0.contains("MONTHLY BUDGET")
        }
        for text in [
            "DEMO", "AZURE CREDITS", "of £5,000.00", "Compute (AKS)", "£2,000.00", "Azure OpenAI", "£1,500.00",
            "Databases & Storage", "£800.00", "Networking & Security", "£400.00", "Monitoring & DevOps", "£300.00",
            "Unmapped", "of £1,000.00", "▲80%", "▲95%", "/day", "runs out", "Month-end", "q quit",
        ] {
            #expect(screen.contains(text), "missing '\(text)' in:\n\(screen)")
        }
        #expect(!screen.contains("…"), "something was cut:\n\(screen)")
        try await tmux.send("q")
        #expect(try await status.wait() == "0")
        // The alternate screen is gone: the shell's screen is back, no dashboard left on it.
        let shell = await tmux.screen()
        #expect(!shell.contains("MONTHLY BUDGET"))
    }

    @Test func failingCostEndpointShowsStaleWithTheReasonAndRecovers() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let port = try freeLoopbackPort()
        let tmux = try await TmuxSession.start(
            command: "\(QLPBinary.path) demo --emulator-port \(port) --cost-refresh 1s --request-timeout 1s", width: 100, height: 30,
            environment: environment(scratch))
        defer { tmux.kill() }
        try await tmux.waitFor("fresh cost data") {
            $0.contains("of £5,000.00") && $0.contains("cost data 0s old") && !$0.contains("STALE")
        }
        let transport = CurlTransport()
        defer { transport.shutdown() }
        func setFault(_ json: String) async throws {
            let response = try await transport.send(
                HTTPRequest(
                    method: .put, url: "http://127.0.0.1:\(port)/_emulator/faults/cost.query",
                    headers: ["Content-Type": "application/json"], body: Array(json.utf8)))
            #expect(response.status == 200)
        }
        try await setFault(#"{"status":500}"#)
        try await tmux.waitFor("STALE with HTTP 500") { $0.contains("STALE") && $0.contains("HTTP 500") }
        try await setFault(#"{"malformed":true}"#)
        try await tmux.waitFor("STALE with malformed response") { $0.contains("STALE") && $0.contains("malformed response") }
        try await setFault(#"{"hang":true}"#)
        let hung = try await tmux.waitFor("STALE with a timeout") { $0.contains("STALE") && $0.contains("timed out after 1 s") }
        #expect(hung.contains("of £5,000.00"), "the last good figures stay on screen")
        _ = try await transport.send(HTTPRequest(method: .delete, url: "http://127.0.0.1:\(port)/_emulator/faults"))
        try await tmux.waitFor("recovery") { !$0.contains("STALE") && ($0.contains("cost data 0s old") || $0.contains("cost data 1s old")) }
        try await tmux.send("q")
    }

    @Test func anInvalidConfigExitsNonZeroNamingFileLineAndKey() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let file = scratch.path + "/bad.yaml"
        try """
        azure:
          tenant_id: t
          subscription_id: s
          resource_group: rg
        budget:
          total: lots
          credit_start: 2026-10-01
          credit_expiry: 2027-09-30
          monthly: {amount: 1000}
          allocation:
            compute: {amount: 2000, services: [Virtual Machines]}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await Subprocess.run([QLPBinary.path, "dash", "--config", file], environment: environment(scratch))
        let message = result.error
        #expect(result.status == 2)
        #expect(message.contains("\(file):6:10: budget.total: expected a plain number"), "got: \(message)")
        #expect(message.contains("budget.allocation: missing category 'azure_openai'"), "got: \(message)")
        #expect(!message.contains("Fatal error"))
    }

    @Test func withoutATerminalItSaysSoInsteadOfCrashing() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        // stdin is /dev/null and stdout a pipe: no terminal.
        let result = try await Subprocess.run([QLPBinary.path, "demo"], environment: environment(scratch))
        let message = result.error
        #expect(result.status == 2)
        #expect(message.contains("not a terminal"), "got: \(message)")
    }
}
