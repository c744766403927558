import Foundation
import QLPCore
import Testing

/// Issue 16, item 5: contrib/systemd/qlp-gateway.service is a unit systemd
/// accepts as written (`systemd-analyze verify`: no unknown key, no bad
/// value, an ExecStart that exists) and keeps its hardening.
@Suite struct SystemdUnitTests {
    static let unit = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("contrib/systemd/qlp-gateway.service").path

    static let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: analyze != nil, "systemd-analyze is not installed here (Debian's systemd package); the unit is not verified"))
    func systemdAnalyzeVerifiesTheUnitWithoutAWarning() async throws {
        let analyze = try #require(Self.analyze)
        let run = try await Subprocess.run([analyze, "verify", Self.unit])
        #expect(run.status == 0, "systemd-analyze verify failed:\n\(run.output)\(run.error)")
        // systemd only warns about an unknown key or a value it cannot parse, and still exits 0.
        #expect(run.output.isEmpty && run.error.isEmpty, "systemd-analyze verify warned:\n\(run.output)\(run.error)")
    }

    @Test func theUnitIsHardenedAndDrainsWithinItsStopTimeout() throws {
        let text = try String(contentsOfFile: Self.unit, encoding: .utf8)
        let lines = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        for line in [
            "DynamicUser=yes", "StateDirectory=qlp", "ProtectSystem=strict", "ProtectHome=yes", "NoNewPrivileges=yes",
            "PrivateTmp=yes", "PrivateDevices=yes", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
            "SystemCallFilter=@system-service", "CapabilityBoundingSet=", "ExecReload=/bin/kill -HUP $MAINPID",
            "KillSignal=SIGTERM", "TimeoutStopSec=30",
        ] {
            #expect(lines.contains(line), "the unit lacks \(line)")
        }
        #expect(lines.contains { $0.hasPrefix("LoadCredential=") }, "the token does not come from a credentials file")
        // The drain (gateway.drain_timeout's default) must end before systemd's SIGKILL.
        #expect(GatewaySettings().drainTimeout < .seconds(30))
        #expect(text.contains("gateway --log-format text"))
    }
}
