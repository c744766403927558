import Foundation
import QLPEmulator
import QLPHTTP
import QLPTestSupport
import Testing

/// azure_openai.auth: entra in the two programs that run a gateway. `qlp
/// gateway` reads its config without requiring Azure, and so skipped the azure
/// section an Entra ID token comes from: it refused to start ("add an azure
/// section") with the section right there. `qlp dash`'s embedded gateway sent
/// neither a key nor a token, so every Azure OpenAI request answered 401.
@Suite(.serialized, .timeLimit(.minutes(4))) struct EntraGatewayEndToEndTests {
    static func config(emulator: Int, port: Int, adminPort: Int, scratch: ScratchDirectory) throws -> String {
        try GatewayProcess.config(
            azure: emulator, ollama: emulator, port: port, adminPort: adminPort, scratch: scratch,
            azureOpenAIAuth: "auth: entra",
            azureSection: GatewayKeyVaultEndToEndTests.azureSection(emulator: emulator))
    }

    @Test func theHeadlessGatewaySendsAnEntraTokenFromTheAzureSection() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let emulator = try await EmulatorProcess(scratch: scratch)
        defer { emulator.stop() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try Self.config(emulator: emulator.port, port: port, adminPort: adminPort, scratch: scratch)
        let gateway = try await GatewayProcess.start(config: config, port: port, adminPort: adminPort, scratch: scratch)
        defer { gateway.stop() }

        // "gpt4" pins the Azure OpenAI target, which the emulator answers only with a token it issued.
        let response = try await GatewayProcess.askGPT4(gateway.base)
        let body = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == 200, "\(body)")
        #expect(response.headers["x-qlp-target"] == "gpt4")
        let output = (try? String(contentsOfFile: gateway.logPath, encoding: .utf8)) ?? ""
        #expect(!output.contains(EmulatorConfiguration.demoClientSecret), "the client secret was written out")
    }

    @Test func anUnusableAzureSectionIsNamedWhenEntraNeedsIt() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try Self.config(emulator: port, port: port, adminPort: adminPort, scratch: scratch)
        var text = try String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: "  resource_group: quantumlayer-prod\n", with: "")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        // A gateway that starts anyway runs until timeout(1) stops it (status 124).
        let run = try await Subprocess.run(["/usr/bin/timeout", "20", QLPBinary.path, "gateway", "--config", config])
        let said = run.output + run.error
        #expect(run.status != 0 && run.status != 124, "status \(run.status): \(said)")
        #expect(said.contains("auth: entra") && said.contains("resource_group"), "\(said)")
        #expect(!said.contains("add an azure section"), "the section is there, only incomplete: \(said)")
    }

    @Test func theDashboardsEmbeddedGatewaySendsAnEntraToken() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let emulator = try await EmulatorProcess(scratch: scratch)
        defer { emulator.stop() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try Self.config(emulator: emulator.port, port: port, adminPort: adminPort, scratch: scratch)
        let tmux = try await TmuxSession.start(
            command: "\(QLPBinary.path) dash --config \(config)", width: 100, height: 30,
            environment: ["HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC"])
        defer { tmux.kill() }
        try await tmux.waitFor("the Overview", timeout: TmuxSession.firstScreenTimeout) { $0.contains("MONTHLY BUDGET") }
        let base = "http://127.0.0.1:\(port)"
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        var response = try? await GatewayProcess.askGPT4(base)
        while response == nil, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            response = try? await GatewayProcess.askGPT4(base)
        }
        let answered = try #require(response, "the embedded gateway did not answer on \(base)")
        #expect(answered.status == 200, "\(String(decoding: answered.body, as: UTF8.self))")
        #expect(answered.headers["x-qlp-target"] == "gpt4")
        try await tmux.send("q")
    }
}
