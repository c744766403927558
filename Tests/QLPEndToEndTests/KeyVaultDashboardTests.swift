import Foundation
import QLPEmulator
import Testing

/// `qlp dash` with its Atlas private key in (emulated) Key Vault: resolved, the
/// Budget view shows Atlas credits; missing, it says which reference failed
/// and the rest of the dashboard still runs.
@Suite(.serialized) struct KeyVaultDashboardTests {
    func atlasSection(port: Int, secretName: String) -> String {
        """
        mongodb_atlas:
          admin_api:
            org_id: 6530f0a1e0b2c3d4e5f60718
            public_key: qlpdemok
            private_key: keyvault://qlp-vault/\(secretName)
            base_url: http://127.0.0.1:\(port)
        """
    }

    func budgetScreen(secretName: String, until ready: (String) -> Bool) async throws -> String {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let emulator = try await RunningEmulator.start(in: scratch)
        defer { emulator.stop() }
        let port = emulator.port
        let config = try DoctorCommandTests().config(
            port: port, secret: "", scratch: scratch,
            extra: atlasSection(port: port, secretName: secretName))
        let tmux = try await TmuxSession.start(
            command: "\(QLPBinary.path) dash --config \(config)", width: 100, height: 40,
            environment: [
                "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC",
                "DOCTOR_TEST_SECRET": EmulatorConfiguration.demoClientSecret,
            ])
        defer { tmux.kill() }
        try await tmux.waitFor("the Overview", timeout: TmuxSession.firstScreenTimeout) { $0.contains("MONTHLY BUDGET") }
        try await tmux.send("2")
        let screen = try await tmux.waitFor("the Budget view's Atlas line", ready)
        try await tmux.send("q")
        return screen
    }

    @Test func theVaultsKeyReadsAtlasCredits() async throws {
        let screen = try await budgetScreen(secretName: "mongodb-atlas-private-key") {
            $0.contains("ATLAS CREDITS") && $0.contains("of £500.00")
        }
        #expect(!screen.contains("emu-atlas-key"), "the private key is on screen:\n\(screen)")
    }

    @Test func aMissingSecretIsNamedOnTheAtlasLine() async throws {
        let screen = try await budgetScreen(secretName: "no-such-secret") { $0.contains("ATLAS CREDITS") && $0.contains("unavailable") }
        #expect(screen.contains("Key Vault: keyvault://qlp-vault/no-such-secret HTTP 404"), "\(screen)")
        #expect(screen.contains("AZURE BUDGETS") || screen.contains("of £1,000.00"), "the rest of the view still runs:\n\(screen)")
    }
}
