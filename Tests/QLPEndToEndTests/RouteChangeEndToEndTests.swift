import Foundation
import QLPHTTP
import QLPTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real `qlp gateway` with its admin API and route database, changed by
/// the admin API and by `qlp routes`, and killed with SIGKILL mid-change.
@Suite(.serialized, .timeLimit(.minutes(5))) struct RouteChangeEndToEndTests {
    static let token = "adm-e2e-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()

    /// A config whose upstreams are closed ports (no traffic is sent), with the admin token.
    static func config(scratch: ScratchDirectory, port: Int, adminPort: Int) throws -> String {
        let repo = try String(contentsOfFile: ReportCommandTests.repoConfig, encoding: .utf8)
        let budget = repo[repo.range(of: "budget:")!.lowerBound..<repo.range(of: "# --- The seed's service configuration")!.lowerBound]
        let closed = try freeLoopbackPort()
        let text = """
            \(budget)
            azure_openai:
              endpoint: "http://127.0.0.1:\(closed)/"
              api_version: "2024-10-21"
              api_key: "unused-key"
              models: {gpt4_turbo: "gpt-4-turbo-preview", gpt35_turbo: "gpt-35-turbo", embeddings: "text-embedding-ada-002"}
              deployment_names: {gpt4: "gpt4-deployment", gpt35: "gpt35-deployment", embeddings: "embeddings-deployment"}
            ollama:
              endpoint: "http://127.0.0.1:\(closed)"
              models: ["llama3:8b"]
              vpn_connection: ""
              fallback_to_azure: true
            routing:
              targets:
                gpt4: {backend: azure_openai, model: gpt4, cost_per_1k_input: 0.0079, cost_per_1k_output: 0.0237}
                gpt35: {backend: azure_openai, model: gpt35, cost_per_1k_input: 0.0004, cost_per_1k_output: 0.0012}
                llama3: {backend: ollama, model: "llama3:8b", cost_per_1k_input: 0, cost_per_1k_output: 0}
              routes:
                chat: {policy: weighted, weights: {gpt4: 40, gpt35: 40, llama3: 20}, fallback: [gpt35, llama3]}
            gateway:
              listen: "127.0.0.1:\(port)"
              admin_listen: "127.0.0.1:\(adminPort)"
              admin_token: "\(token)"
              probe_interval: 0s
            dashboard:
              log_file: \(scratch.path)/gateway.log
              state_dir: \(scratch.path)/state
            """
        let path = scratch.path + "/routes.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `qlp gateway`, once it listens.
    static func startGateway(config: String, scratch: ScratchDirectory, run: Int) async throws -> BackgroundProcess {
        let output = scratch.path + "/gateway-\(run).out"
        let process = try BackgroundProcess([QLPBinary.path, "gateway", "--config", config], outputPath: output)
        do {
            try await process.waitForOutput(GatewayProcess.started)
        } catch {
            process.stop()
            throw WaitFailure(description: "qlp gateway did not start: \((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")")
        }
        return process
    }

    static func kill9(_ process: BackgroundProcess) { process.kill9() }

    static func send(_ client: CurlTransport, _ method: HTTPMethod, _ url: String, _ body: String? = nil) async throws -> HTTPResponse {
        var headers = HTTPHeaders([("Authorization", "Bearer \(token)"), ("X-QLP-Actor", "e2e")])
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        return try await client.send(
            HTTPRequest(
                method: method, url: url, headers: headers, body: Array((body ?? "").utf8),
                timeout: .seconds(10), connectTimeout: .seconds(2)))
    }

    static func object(_ response: HTTPResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    /// The i-th change's chat weights; each differs from the one before.
    static func weights(_ i: Int) -> [String: Int] { ["gpt4": i % 50, "gpt35": 50, "llama3": 50 - i % 50] }

    static func chatWeights(_ routes: [String: Any]) -> [String: Int] {
        let table = routes["table"] as? [String: Any]
        let chat = (table?["routes"] as? [[String: Any]])?.first { $0["name"] as? String == "chat" }
        var out: [String: Int] = [:]
        for share in chat?["shares"] as? [[String: Any]] ?? [] {
            if let target = share["target"] as? String, let weight = share["weight"] as? Int { out[target] = weight }
        }
        return out
    }

    /// Acceptance 5: kill -9 of the gateway during 100 route changes; after a
    /// restart the table is the last committed change and the audit log has no gap.
    @Test func aKillDuringRouteChangesLosesNothingCommittedAndLeavesNoGap() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try Self.config(scratch: scratch, port: port, adminPort: adminPort)
        let admin = "http://127.0.0.1:\(adminPort)/admin"
        let client = CurlTransport(maxConcurrentTransfers: 4)
        defer { client.shutdown() }

        var gateway = try await Self.startGateway(config: config, scratch: scratch, run: 0)
        let progress = ChangeProgress()
        let total = 100
        let killAfter = Int.random(in: 25...75)
        // Changes go one after another, each against the version the last reply gave, until one fails (the kill).
        let sender = Task { () -> Void in
            var version = 1
            for i in 0..<total {
                let body = try JSONSerialization.data(withJSONObject: [
                    "version": version, "weights": Self.weights(i),
                    "reason": "change \(i)",
                ])
                progress.sent.withLock { $0[version + 1] = Self.weights(i) }
                let reply: HTTPResponse
                do {
                    reply = try await Self.send(client, .put, admin + "/routes/chat/weights", String(decoding: body, as: UTF8.self))
                } catch {
                    progress.stopped.withLock { $0 = "change \(i): \(error)" }
                    return
                }
                guard reply.status == 200, let next = Self.object(reply)["version"] as? Int else {
                    progress.stopped.withLock { $0 = "change \(i): HTTP \(reply.status) \(reply.bodyText)" }
                    return
                }
                version = next
                progress.acknowledged.withLock { $0 = (next, i + 1) }
            }
        }
        // Until the kill point, or until the sender stops on its own (then the kill would never come: say why).
        while progress.acknowledged.withLock({ $0.changes }) < killAfter, progress.stopped.withLock({ $0 }) == nil {
            try await Task.sleep(for: .milliseconds(2))
        }
        if let early = progress.stopped.withLock({ $0 }) {
            Self.kill9(gateway)
            Issue.record("the changes stopped before the kill (after \(progress.acknowledged.withLock { $0.changes })): \(early)")
            return
        }
        // The next change is in flight (or about to be): kill without warning.
        Self.kill9(gateway)
        _ = try await sender.value
        let lastAcknowledged = progress.acknowledged.withLock { $0 }
        #expect(
            lastAcknowledged.changes >= killAfter && lastAcknowledged.changes < total,
            "the kill landed after \(lastAcknowledged.changes) changes")

        gateway = try await Self.startGateway(config: config, scratch: scratch, run: 1)
        defer { gateway.stop() }
        let routes = Self.object(try await Self.send(client, .get, admin + "/routes"))
        let version = try #require(routes["version"] as? Int)
        print(
            "kill -9 after \(lastAcknowledged.changes) acknowledged changes (version \(lastAcknowledged.version)); "
                + "after restart the table is at version \(version)")
        // The last acknowledged change, or the one in flight if it was committed before the kill but not answered.
        #expect(
            version == lastAcknowledged.version || version == lastAcknowledged.version + 1,
            "after restart version \(version), last acknowledged \(lastAcknowledged.version)")
        #expect(
            Self.chatWeights(routes) == progress.sent.withLock { $0[version] }, "the table is not the one committed as version \(version)")

        // The remaining changes go on against the restarted gateway.
        var current = version
        let started = ContinuousClock.now
        for i in (current - 1)..<total {
            let body = try JSONSerialization.data(withJSONObject: ["version": current, "weights": Self.weights(i)])
            let reply = try await Self.send(client, .put, admin + "/routes/chat/weights", String(decoding: body, as: UTF8.self))
            #expect(reply.status == 200, "\(reply.bodyText)")
            current = Self.object(reply)["version"] as? Int ?? current
        }
        #expect(current == 1 + total)
        let elapsed = ContinuousClock.now - started
        let count = total - version + 1
        print(
            "\(count) route changes after the restart, one at a time, in \(elapsed) "
                + "(\(count > 0 ? elapsed / count : .zero) each: commit with fsync, publish, reply)")

        let audit = Self.object(try await Self.send(client, .get, admin + "/audit?limit=1000"))
        let entries = try #require(audit["entries"] as? [[String: Any]])
        let applied = entries.filter { $0["outcome"] as? String == "applied" }.reversed()
        #expect(applied.compactMap { $0["toVersion"] as? Int } == Array(1...(1 + total)), "versions in the audit log have a gap")
        #expect(applied.dropFirst().allSatisfy { ($0["toVersion"] as? Int) == ($0["fromVersion"] as? Int).map { $0 + 1 } })
        #expect(
            entries.allSatisfy { $0["outcome"] as? String == "applied" },
            "a change was refused: \(entries.filter { $0["outcome"] as? String != "applied" })")
        let final = Self.object(try await Self.send(client, .get, admin + "/routes"))
        #expect(Self.chatWeights(final) == Self.weights(total - 1))
        // Its stderr is a file, not a terminal: the logs are in its output, with the log file's if any.
        var log = (try? String(contentsOfFile: scratch.path + "/gateway.log", encoding: .utf8)) ?? ""
        for run in 0..<3 { log += (try? String(contentsOfFile: scratch.path + "/gateway-\(run).out", encoding: .utf8)) ?? "" }
        #expect(!log.contains(Self.token), "the admin token appears in the gateway log")
    }

    /// `qlp routes` against a running gateway: show, set, a stale set, a wrong token, audit.
    @Test func theRoutesCommandShowsChangesAndExplainsRefusals() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try Self.config(scratch: scratch, port: port, adminPort: adminPort)
        let gateway = try await Self.startGateway(config: config, scratch: scratch, run: 0)
        defer { gateway.stop() }
        var environment = ProcessInfo.processInfo.environment
        environment["QLP_ADMIN_TOKEN"] = nil
        environment["USER"] = "carol"
        // The token comes from the config; $QLP_ADMIN_TOKEN, when set, overrides it.
        func routes(_ arguments: [String], token: String? = nil) async throws -> Subprocess.Result {
            var env = environment
            env["QLP_ADMIN_TOKEN"] = token
            return try await Subprocess.run([QLPBinary.path, "routes"] + arguments + ["--config", config], environment: env)
        }

        let show = try await routes(["show"])
        #expect(show.status == 0, "\(show.error)")
        #expect(show.output.contains("Route table version 1"))
        #expect(show.output.contains("chat  weighted"))
        #expect(show.output.contains("fallback: gpt35 → llama3"))

        let set = try await routes(["set", "chat", "gpt4=20", "gpt35=60", "llama3=20", "--reason", "cheaper"])
        #expect(set.status == 0, "\(set.error)")
        #expect(set.output.contains("chat weights: gpt4 40→20, gpt35 40→60 (version 1 → 2"))

        let stale = try await routes(["set", "chat", "gpt4=0", "gpt35=100", "llama3=0", "--version", "1"])
        #expect(stale.status == 3)
        #expect(stale.error.contains("someone else changed the routes"))
        #expect(stale.error.contains("version 2"))

        let wrong = "wrong-" + Self.token
        let refused = try await routes(["drain", "gpt4"], token: wrong)
        #expect(refused.status == 2)
        #expect(refused.error.contains("refused the token"))
        #expect(!refused.error.contains(wrong) && !refused.output.contains(wrong))

        let bad = try await routes(["set", "chat", "gpt4=lots"])
        #expect(bad.status != 0 && bad.error.contains("target=weight"))

        let audit = try await routes(["audit"])
        #expect(audit.status == 0)
        #expect(audit.output.contains("admin/carol  v1→v2"))
        #expect(audit.output.contains("reason: cheaper"))
        #expect(audit.output.contains("refused: stale: made against version 1, the table is at version 2"))
        #expect(!(show.output + set.output + stale.error + audit.output).contains(Self.token))
    }
}

/// What the sender of route changes has done, shared with the test that kills the gateway.
private final class ChangeProgress: Sendable {
    /// What each version's chat weights must be: the weights of the change sent against the version before.
    let sent = Mutex<[Int: [String: Int]]>([:])
    /// The last version a 200 reply gave, and how many changes were acknowledged.
    let acknowledged = Mutex<(version: Int, changes: Int)>((1, 0))
    /// Why the sender stopped: set by the failure that ended it (before the kill, a defect; after it, the kill).
    let stopped = Mutex<String?>(nil)
}
