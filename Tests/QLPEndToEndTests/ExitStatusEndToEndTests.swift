import Foundation
import QLPTestSupport
import Testing

/// The README's exit-status table and `qlp --version`, as the built binary
/// answers them (Sources/qlp/Support/CommandFailure.swift's ExitStatus).
@Suite struct ExitStatusEndToEndTests {
    /// The repository, found from this test file's own path.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary started in an empty scratch directory: no config/qlp.yaml, no running demo.
    func run(_ arguments: [String], in scratch: ScratchDirectory, extra: [String: String] = [:]) async throws -> Subprocess.Result {
        let quoted = ([QLPBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        var environment = [
            "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC", "PATH": "/usr/bin:/bin",
            "XDG_CONFIG_HOME": scratch.path + "/config", "XDG_STATE_HOME": scratch.path + "/state",
        ]
        environment.merge(extra) { $1 }
        return try await Subprocess.run(["/bin/sh", "-c", "cd '\(scratch.path)' && exec \(quoted)"], environment: environment)
    }

    /// `qlp --version` prints the repository's VERSION, the number the release tarball is named by.
    @Test func versionIsTheVersionFile() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let expected = try String(contentsOf: Self.repository.appendingPathComponent("VERSION"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try await run(["--version"], in: scratch)
        #expect(result.status == 0, "status \(result.status): \(result.error)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == expected, "printed '\(result.output)'")
    }

    /// A gateway that cannot be reached is a runtime failure (1: try again
    /// later), not a usage error (2), and ArgumentParser's 64 never escapes.
    @Test func unreachableAdminAPIIsARuntimeFailure() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let port = try freeLoopbackPort()
        let result = try await run(
            ["routes", "show", "--admin", "http://127.0.0.1:\(port)"], in: scratch,
            extra: ["QLP_ADMIN_TOKEN": "a-token-for-the-exit-status-test-only"])
        #expect(result.status == 1, "status \(result.status): \(result.error)")
        #expect(result.error.contains("cannot reach the admin API"), "got: \(result.error)")
        #expect(!result.error.contains("a-token-for-the-exit-status-test-only"))

        let badOption = try await run(["routes", "show", "--no-such-option"], in: scratch)
        #expect(badOption.status == 2, "status \(badOption.status): \(badOption.error)")
    }
}
