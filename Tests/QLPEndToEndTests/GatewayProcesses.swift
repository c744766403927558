import Foundation
import QLPEmulator
import QLPHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// `qlp emulate --model-latency off` on a loopback port, which can be
/// killed with SIGKILL and started again on the same port.
final class EmulatorProcess: @unchecked Sendable {
    let port: Int
    let scratch: ScratchDirectory
    private(set) var process: BackgroundProcess
    private var generation = 0

    /// On a port the emulator chooses (see `RunningEmulator.start`).
    init(scratch: ScratchDirectory) async throws {
        let running = try await RunningEmulator.start(
            in: scratch, arguments: ["--model-latency", "off"], logName: "emulator-\(UUID().uuidString).log")
        port = running.port
        self.scratch = scratch
        process = running.process
    }

    /// On `port`: where one stood before, to come back.
    init(port: Int, scratch: ScratchDirectory) async throws {
        self.port = port
        self.scratch = scratch
        process = try await Self.launch(port: port, scratch: scratch, generation: 0)
    }

    var base: String { "http://127.0.0.1:\(port)" }

    private static func launch(port: Int, scratch: ScratchDirectory, generation: Int) async throws -> BackgroundProcess {
        let process = try BackgroundProcess(
            [QLPBinary.path, "emulate", "--port", String(port), "--model-latency", "off"],
            outputPath: scratch.path + "/emulator-\(port)-\(generation).log")
        do {
            try await process.waitForOutput("listening on")
        } catch {
            process.stop()
            throw error
        }
        return process
    }

    /// kill -9: no goodbye, connections reset.
    func kill9() { process.kill9() }

    func restart() async throws {
        generation += 1
        process = try await Self.launch(port: port, scratch: scratch, generation: generation)
    }

    func stop() { process.stop() }

    /// `stop()` for where a test can suspend (see `BackgroundProcess.terminate`).
    func terminate() async { await process.terminate() }
}

/// The real `qlp gateway` with a config that routes chat over an Azure OpenAI
/// emulator (gpt4, gpt35) and an Ollama emulator (llama3).
struct GatewayProcess {
    let process: BackgroundProcess
    let port: Int
    let adminPort: Int
    let configPath: String
    /// Where its log lines go: its standard error, which is this file and not a terminal.
    let logPath: String

    var base: String { "http://127.0.0.1:\(port)" }

    static func config(
        azure: Int, ollama: Int, port: Int, adminPort: Int, scratch: ScratchDirectory,
        clientKeyHash: String? = nil, weights: String = "{gpt4: 40, gpt35: 40, llama3: 20}",
        breaker: String = "", azureOpenAIAuth: String = "api_key: \"\(EmulatorConfiguration.demoOpenAIKey)\"",
        azureSection: String = ""
    ) throws -> String {
        let repo = try String(contentsOfFile: ReportCommandTests.repoConfig, encoding: .utf8)
        let budget = repo[repo.range(of: "budget:")!.lowerBound..<repo.range(of: "# --- The seed's service configuration")!.lowerBound]
        let text = """
            \(azureSection)
            \(budget)
            azure_openai:
              endpoint: "http://127.0.0.1:\(azure)/"
              api_version: "2024-10-21"
              \(azureOpenAIAuth)
              models:
                gpt4_turbo: "gpt-4-turbo-preview"
                gpt35_turbo: "gpt-35-turbo"
                embeddings: "text-embedding-ada-002"
              deployment_names:
                gpt4: "gpt4-deployment"
                gpt35: "gpt35-deployment"
                embeddings: "embeddings-deployment"
            ollama:
              endpoint: "http://127.0.0.1:\(ollama)"
              models: ["llama3:8b"]
              vpn_connection: ""
              fallback_to_azure: true
            routing:
              targets:
                gpt4: {backend: azure_openai, model: gpt4, cost_per_1k_input: 0.0079, cost_per_1k_output: 0.0237}
                gpt35: {backend: azure_openai, model: gpt35, cost_per_1k_input: 0.0004, cost_per_1k_output: 0.0012}
                embeddings: {backend: azure_openai, model: embeddings, cost_per_1k_input: 0.00008, cost_per_1k_output: 0}
                llama3: {backend: ollama, model: "llama3:8b", cost_per_1k_input: 0, cost_per_1k_output: 0}
              routes:
                chat: {policy: weighted, weights: \(weights), fallback: [gpt35, llama3, gpt4]}
                embeddings: {policy: priority, weights: {embeddings: 100}, fallback: []}
            gateway:
              listen: "127.0.0.1:\(port)"
              admin_listen: "127.0.0.1:\(adminPort)"
              client_key_sha256: [\(clientKeyHash.map { "\"\($0)\"" } ?? "")]
              probe_interval: 0s
            \(breaker)
            dashboard:
              log_file: \(scratch.path)/gateway.log
              state_dir: \(scratch.path)/state
            """
        let path = scratch.path + "/gateway.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The banner line `qlp gateway` prints once both listeners are up and its discovery file is written.
    /// Not Hummingbird's "Server started and listening on", which each listener logs earlier, on its own.
    static let started = "qlp gateway listening on"

    /// - Parameter output: the file its output goes to (a restarted gateway needs a new one to be seen starting).
    /// - Parameter environment: the gateway's whole environment; nil: the test's.
    static func start(
        config: String, port: Int, adminPort: Int, scratch: ScratchDirectory,
        output: String = "gateway.out", environment: [String: String]? = nil
    ) async throws -> GatewayProcess {
        let process = try BackgroundProcess(
            [QLPBinary.path, "gateway", "--config", config], outputPath: scratch.path + "/" + output, environment: environment)
        do {
            try await process.waitForOutput(Self.started)
        } catch {
            let output = (try? String(contentsOfFile: scratch.path + "/" + output, encoding: .utf8)) ?? ""
            process.stop()
            throw WaitFailure(description: "qlp gateway did not start: \(output)")
        }
        return GatewayProcess(
            process: process, port: port, adminPort: adminPort, configPath: config,
            logPath: scratch.path + "/" + output)
    }

    func stop() { process.stop() }

    /// `stop()` for where a test can suspend (see `BackgroundProcess.terminate`).
    func terminate() async { await process.terminate() }

    /// kill -9: no goodbye, nothing flushed.
    func kill9() { process.kill9() }
}

extension GatewayProcess {
    /// One chat request for "gpt4", the Azure OpenAI target by its own name: tried first, and only a failure
    /// there sends it along its route's fallback (x-qlp-target says which served it).
    static func askGPT4(_ base: String) async throws -> HTTPResponse {
        let client = CurlTransport()
        defer { client.shutdown() }
        return try await client.send(
            HTTPRequest(
                method: .post, url: base + "/v1/chat/completions", headers: ["content-type": "application/json"],
                body: Array(#"{"model":"gpt4","messages":[{"role":"user","content":"Say hello"}],"max_tokens":8}"#.utf8),
                timeout: .seconds(30)))
    }
}
