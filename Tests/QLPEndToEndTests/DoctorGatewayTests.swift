import Foundation
import QLPEmulator
import QLPTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `qlp doctor`'s checks of what the gateway needs (GatewayReadiness):
/// deployments answering with the configured auth, Ollama models pulled, the
/// admin token, free listeners; against the emulator.
@Suite(.serialized) struct DoctorGatewayTests {
    /// The output with every run of white space made one space, so a check's
    /// detail wrapped over two lines of the table still reads as one.
    static func flat(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    /// The gateway's sections, on the emulator at `port`.
    static func gatewaySections(port: Int, apiKey: String, listen: Int, adminListen: Int, adminToken: String) -> String {
        """
        azure_openai:
          endpoint: "http://127.0.0.1:\(port)/"
          api_version: "2024-10-21"
          api_key: "\(apiKey)"
          deployment_names:
            gpt4: "gpt4-deployment"
            embeddings: "embeddings-deployment"
        ollama:
          endpoint: "http://127.0.0.1:\(port)"
          models: ["llama3:8b", "never-pulled:1b"]
        routing:
          targets:
            gpt4: {backend: azure_openai, model: gpt4, cost_per_1k_input: 0.0079, cost_per_1k_output: 0.0237, context_window: 128000}
            embeddings: {backend: azure_openai, model: embeddings, cost_per_1k_input: 0.00008, cost_per_1k_output: 0, context_window: 8191}
            llama3: {backend: ollama, model: "llama3:8b", cost_per_1k_input: 0, cost_per_1k_output: 0}
            ghost: {backend: ollama, model: "never-pulled:1b", cost_per_1k_input: 0, cost_per_1k_output: 0, context_window: 8192}
          routes:
            chat: {policy: weighted, weights: {gpt4: 50, llama3: 50}, fallback: [ghost]}
            embeddings: {policy: priority, weights: {embeddings: 100}, fallback: []}
        gateway:
          listen: "127.0.0.1:\(listen)"
          admin_listen: "127.0.0.1:\(adminListen)"
          admin_token: "\(adminToken)"
          probe_interval: 0s
        """
    }

    /// A loopback port this test listens on, so the doctor must find it taken.
    final class HeldPort {
        let fd: Int32
        let port: Int
        init() throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound =
                descriptor >= 0
                && withUnsafeMutablePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                        bind(descriptor, socketAddress, length) == 0 && listen(descriptor, 1) == 0
                            && getsockname(descriptor, socketAddress, &length) == 0
                    }
                }
            guard bound else {
                if descriptor >= 0 { close(descriptor) }
                throw WaitFailure(description: "cannot hold a loopback port")
            }
            fd = descriptor
            port = Int(UInt16(bigEndian: address.sin_port))
        }
        deinit { close(fd) }
    }

    @Test func namesWhatTheGatewayNeedsWithoutShowingTheToken() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let emulator = try await RunningEmulator.start(in: scratch)
        defer { emulator.stop() }
        let held = try HeldPort()
        let shortToken = "short-token-9c2e"
        let path = try DoctorCommandTests().config(
            port: emulator.port, secret: "", scratch: scratch,
            extra: Self.gatewaySections(
                port: emulator.port, apiKey: EmulatorConfiguration.demoOpenAIKey, listen: held.port,
                adminListen: try freeLoopbackPort(), adminToken: shortToken))
        let result = try await DoctorCommandTests().doctor(config: path, secret: EmulatorConfiguration.demoClientSecret, scratch: scratch)
        let output = Self.flat(result.output)
        #expect(result.status == 1, "\(result.output)\(result.error)")
        #expect(output.contains("gateway.admin_token is \(shortToken.count) characters, fewer than 24"), "\(result.output)")
        #expect(!result.output.contains(shortToken) && !result.error.contains(shortToken))
        #expect(output.contains("127.0.0.1:\(held.port): in use by another process"), "\(result.output)")
        #expect(output.contains("is free"), "the admin listener's free port: \(result.output)")
        #expect(output.contains("deployment 'gpt4-deployment' answered a chat request"), "\(result.output)")
        #expect(output.contains("deployment 'embeddings-deployment' answered an embeddings request"), "\(result.output)")
        #expect(output.contains("model 'llama3:8b' is pulled"), "\(result.output)")
        #expect(output.contains("model 'never-pulled:1b' is not pulled"), "\(result.output)")
        #expect(output.contains("ollama pull never-pulled:1b"), "\(result.output)")
    }

    @Test func aWrongKeyIsNamedForEachDeployment() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let emulator = try await RunningEmulator.start(in: scratch)
        defer { emulator.stop() }
        let wrongKey = "wrong-aoai-key-5d1e"
        let path = try DoctorCommandTests().config(
            port: emulator.port, secret: "", scratch: scratch,
            extra: Self.gatewaySections(
                port: emulator.port, apiKey: wrongKey, listen: try freeLoopbackPort(),
                adminListen: try freeLoopbackPort(), adminToken: String(repeating: "k", count: 32)))
        let result = try await DoctorCommandTests().doctor(config: path, secret: EmulatorConfiguration.demoClientSecret, scratch: scratch)
        let output = Self.flat(result.output)
        #expect(result.status == 1, "\(result.output)\(result.error)")
        #expect(output.contains("deployment 'gpt4-deployment' did not answer a chat request: HTTP 401"), "\(result.output)")
        #expect(output.contains("check azure_openai.auth"), "\(result.output)")
        #expect(output.contains("set, 32 characters"), "\(result.output)")
        #expect(!result.output.contains(wrongKey) && !result.error.contains(wrongKey))
    }

    /// `qlp doctor --demo` probes the demo gateway's targets on the embedded emulator and passes.
    @Test func demoProbesTheDemoGatewaysTargets() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let result = try await Subprocess.run(
            [QLPBinary.path, "doctor", "--demo"],
            environment: [
                "HOME": scratch.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                "XDG_STATE_HOME": scratch.path + "/state",
            ])
        let output = Self.flat(result.output)
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(output.contains("the demo makes a random admin token for each run"), "\(result.output)")
        #expect(output.contains("answered a chat request"), "\(result.output)")
        #expect(output.contains("is pulled"), "\(result.output)")
    }
}
