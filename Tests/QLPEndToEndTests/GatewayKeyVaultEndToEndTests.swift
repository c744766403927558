import Foundation
import QLPEmulator
import QLPHTTP
import QLPTestSupport
import Testing

/// Issue 14, finding 1: the headless `qlp gateway` resolves a
/// `keyvault://` azure_openai.api_key as `qlp dash` does, instead of sending
/// the reference itself as the api-key; a reference it cannot resolve stops
/// it at start, naming the key and the reference, never a secret.
@Suite(.serialized, .timeLimit(.minutes(3))) struct GatewayKeyVaultEndToEndTests {
    /// GatewayProcess's config with its Azure OpenAI key in the emulator's vault, and an azure section to reach the vault with.
    static func config(emulator: Int, port: Int, adminPort: Int, scratch: ScratchDirectory, reference: String) throws -> String {
        try GatewayProcess.config(
            azure: emulator, ollama: emulator, port: port, adminPort: adminPort, scratch: scratch,
            azureOpenAIAuth: "api_key: \"\(reference)\"", azureSection: azureSection(emulator: emulator))
    }

    /// The emulator's own demo credential: not a secret, valid only against it.
    static func azureSection(emulator: Int) -> String {
        """
        azure:
          tenant_id: \(DoctorCommandTests.demoTenant)
          subscription_id: \(DoctorCommandTests.demoSubscription)
          resource_group: quantumlayer-prod
          credential: client_secret
          client_id: \(DoctorCommandTests.demoClient)
          client_secret: "\(EmulatorConfiguration.demoClientSecret)"
          endpoints:
            authority: http://127.0.0.1:\(emulator)
            management: http://127.0.0.1:\(emulator)
            key_vault: http://127.0.0.1:\(emulator)
            app_insights: http://127.0.0.1:\(emulator)
        """
    }

    @Test func finding01_gatewayResolvesKeyVaultReferences() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let emulator = try await EmulatorProcess(scratch: scratch)
        defer { emulator.stop() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try Self.config(
            emulator: emulator.port, port: port, adminPort: adminPort, scratch: scratch,
            reference: "keyvault://qlp-vault/azure-openai-api-key")
        let gateway = try await GatewayProcess.start(config: config, port: port, adminPort: adminPort, scratch: scratch)
        defer { gateway.stop() }

        // "gpt4" pins the Azure OpenAI target, which the emulator answers only with the vault's key.
        let response = try await GatewayProcess.askGPT4(gateway.base)
        let body = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == 200, "\(body)")
        #expect(response.headers["x-qlp-target"] == "gpt4")
        let log = (try? String(contentsOfFile: gateway.logPath, encoding: .utf8)) ?? ""
        let output = (try? String(contentsOfFile: scratch.path + "/gateway.out", encoding: .utf8)) ?? ""
        #expect(!log.contains("emu-aoai-key") && !output.contains("emu-aoai-key"), "the resolved key was written out")
    }

    @Test func finding01_anUnresolvableReferenceStopsTheGatewayAtStart() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let emulator = try await EmulatorProcess(scratch: scratch)
        defer { emulator.stop() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try Self.config(
            emulator: emulator.port, port: port, adminPort: adminPort, scratch: scratch,
            reference: "keyvault://qlp-vault/no-such-secret")
        // A gateway that starts anyway runs until timeout(1) stops it (status 124).
        let run = try await Subprocess.run(["/usr/bin/timeout", "20", QLPBinary.path, "gateway", "--config", config])
        let said = run.output + run.error
        #expect(run.status != 0 && run.status != 124, "status \(run.status): \(said)")
        #expect(!said.contains("listening on"), "\(said)")
        #expect(said.contains("azure_openai.api_key") && said.contains("keyvault://qlp-vault/no-such-secret"), "\(said)")
        #expect(said.contains("404"), "the vault's answer is named: \(said)")
    }
}
