import Foundation
import QLPHTTP
import QLPTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 16, item 5 (acceptance 4): the real `qlp gateway` behaves like a
/// service. Its stderr is a file here, not a terminal, so it logs there; a
/// SIGTERM under load drains every request and stream in flight and exits 0;
/// a SIGHUP takes up an edited weight as a new version audited by "config"
/// without a client seeing an error; a broken config on SIGHUP is logged with
/// its file:line and the gateway goes on serving.
@Suite(.serialized, .timeLimit(.minutes(5))) struct GatewayServiceEndToEndTests {
    static let token = "e2e-service-admin-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    static let chat = Array(#"{"model":"chat","messages":[{"role":"user","content":"Tell me a story"}],"max_tokens":40}"#.utf8)
    static let streamed = Array(
        #"{"model":"chat","messages":[{"role":"user","content":"Tell me a story"}],"max_tokens":40,"stream":true}"#.utf8)

    /// An emulator whose models answer at a quarter of their realistic pace (about half a second for 40 tokens), so
    /// requests and streams are in flight whenever a signal comes.
    static func slowEmulator(_ scratch: ScratchDirectory) async throws -> (BackgroundProcess, Int) {
        let emulator = try await RunningEmulator.start(in: scratch, arguments: ["--model-latency", "0.25"], logName: "emulator-slow.log")
        return (emulator.process, emulator.port)
    }

    /// `qlp gateway` in front of `upstreamPort` with a 20 s drain, for the tests that signal it.
    static func gatewayToDrain(upstreamPort: Int, scratch: ScratchDirectory) async throws -> GatewayProcess {
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try GatewayProcess.config(
            azure: upstreamPort, ollama: upstreamPort, port: port, adminPort: adminPort,
            scratch: scratch, breaker: "  drain_timeout: 20s")
        return try await GatewayProcess.start(config: config, port: port, adminPort: adminPort, scratch: scratch)
    }

    /// A drain test's setting: the machine to itself, a slow emulator, and a gateway in front of it.
    /// `body` sets `exited` once the gateway has exited; until then, if `body` ends or throws, the gateway
    /// is continued, in case the test stopped it, and stopped.
    static func withGatewayToDrain(
        _ body: (GatewayProcess, ScratchDirectory, _ exited: inout Bool) async throws -> Void
    ) async throws {
        await MachineTurns.shared.take()
        defer { MachineTurns.shared.give() }
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let (emulator, upstreamPort) = try await Self.slowEmulator(scratch)
        defer { emulator.stop() }
        let gateway = try await Self.gatewayToDrain(upstreamPort: upstreamPort, scratch: scratch)
        var exited = false
        defer {
            if !exited {
                kill(gateway.process.pid, SIGCONT)
                gateway.stop()
            }
        }
        try await body(gateway, scratch, &exited)
    }

    /// Paced load (about `rate` requests/s, one in four streamed) until `until` seconds, from `workers` tasks.
    static func load(
        _ client: CurlTransport, url: String, rate: Double, until: Double, workers: Int,
        outcomes: Outcomes
    ) -> Task<Void, Never> {
        let start = ContinuousClock.now
        @Sendable func elapsed() -> Double {
            let (s, atto) = (ContinuousClock.now - start).components
            return Double(s) + Double(atto) / 1e18
        }
        let total = Int(rate * until)
        return Task {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<workers {
                    group.addTask {
                        for n in stride(from: worker, to: total, by: workers) {
                            let due = Double(n) / rate
                            let wait = due - elapsed()
                            if wait > 0 { try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
                            let at = elapsed()
                            guard at < until else { return }
                            let stream = n % 4 == 0
                            do {
                                let response = try await client.send(
                                    HTTPRequest(
                                        method: .post, url: url, headers: ["content-type": "application/json"],
                                        body: stream ? streamed : chat, timeout: .seconds(30)))
                                // A stream is whole only with its [DONE]; an error event instead would be a drain cut short.
                                let whole = response.status == 200 && (!stream || response.bodyText.hasSuffix("data: [DONE]\n\n"))
                                outcomes.list.withLock {
                                    $0.append(
                                        Outcome(
                                            at: at, done: elapsed(), status: whole ? 200 : max(1, response.status),
                                            target: stream ? "stream" : "",
                                            problem: whole ? nil : String(response.bodyText.suffix(300))))
                                }
                            } catch {
                                outcomes.list.withLock {
                                    $0.append(
                                        Outcome(
                                            at: at, done: elapsed(), status: 0, target: stream ? "stream" : "",
                                            problem: "\(error)"))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func sigtermUnderLoadDrainsEveryRequestAndStreamAndExitsZero() async throws {
        try await Self.withGatewayToDrain { gateway, scratch, exited in
            // More transfers than workers: a request never waits in the client for a connection, so each one
            // counted as started before the signal was on the wire before it.
            let client = CurlTransport(maxConcurrentTransfers: 256)
            defer { client.shutdown() }

            // 200 requests/s for 3 s; each takes about half a second upstream, so about a hundred are in flight at the signal.
            let outcomes = Outcomes()
            let loadStarted = ContinuousClock.now
            let load = Self.load(
                client, url: gateway.base + "/v1/chat/completions", rate: 200, until: 3, workers: 200,
                outcomes: outcomes)
            // No request starts in the last 0.1 s before the signal: one that starts after it would be refused, not drained.
            try await Task.sleep(for: .milliseconds(3100))
            kill(gateway.process.pid, SIGTERM)
            let signalled = ContinuousClock.now
            await load.value
            let status = await gateway.process.exitStatus(within: .seconds(30))
            exited = status != nil
            let tookToExit = ContinuousClock.now - signalled

            let all = outcomes.list.withLock { $0 }
            let failures = all.filter { $0.status != 200 }
            // Every request was sent before the signal (none starts in its last 0.1 s); those answered after it
            // were in flight when it came, which is what the drain is about.
            let signalAt = (signalled - loadStarted).components
            let inFlight = all.filter { $0.done > Double(signalAt.seconds) + Double(signalAt.attoseconds) / 1e18 }
            let output = (try? String(contentsOfFile: scratch.path + "/gateway.out", encoding: .utf8)) ?? ""
            print(
                "gateway drain test: \(all.count) requests (\(all.filter { $0.target == "stream" }.count) streamed), "
                    + "\(inFlight.count) in flight at SIGTERM (\(inFlight.filter { $0.target == "stream" }.count) streamed), "
                    + "\(failures.count) failed; exited \(status.map(String.init) ?? "never") \(tookToExit) after SIGTERM")
            // Paced at 200/s, each request half a second upstream: about a hundred in flight at the signal. On a
            // shared 2-core machine the client falls behind (315 of 600 sent in a whole-suite run on 2026-12-07), so
            // the floor is on what the test is about, not on how many were sent.
            #expect(inFlight.count >= 20, "only \(inFlight.count) requests in flight at SIGTERM")
            #expect(inFlight.contains { $0.target == "stream" }, "no stream in flight at SIGTERM")
            #expect(
                failures.isEmpty,
                "\(failures.count) client-visible errors, e.g. \(failures.prefix(3).map { "\($0.status) \($0.problem ?? "")" })")
            #expect(status == 0, "qlp gateway exited with status \(status.map(String.init) ?? "none (still running)")")
            // The logs are on stderr (a file here, not a terminal): start, drain with streams open, and stop.
            let lines = output.split(separator: "\n")
            #expect(lines.contains { $0.contains(" info qlp.gateway: gateway listening") }, "\(output.suffix(2000))")
            let draining = try #require(lines.first { $0.contains("qlp.gateway: gateway draining") }, "\(output.suffix(2000))")
            let open = draining.split(separator: " ").first { $0.hasPrefix("streams_open=") }.flatMap { Int($0.dropFirst(13)) } ?? 0
            #expect(open > 0, "no stream was in flight at SIGTERM: \(draining)")
            #expect(
                lines.contains { $0.contains("qlp.gateway: gateway stopped") && $0.contains("streams_ended=0") }, "\(output.suffix(2000))")
            // ISO-8601 UTC stamps outside journald.
            #expect(draining.first?.isNumber == true && draining.contains("Z info "), "\(draining)")
            #expect(
                !FileManager.default.fileExists(atPath: scratch.path + "/gateway.log"),
                "logged to dashboard.log_file although stderr is not a terminal")
        }
    }

    /// Connections the kernel accepted for the gateway before SIGTERM, their requests sent, wait in the
    /// listener's accept queue until the gateway takes them. Closing the listener at the signal reset them
    /// all: "connection reset by peer" for requests sent before it (32 of 40 here on 2026-12-07, and 15 in
    /// a whole-suite run of the drain test above, where a loaded machine left them queued). The gateway is
    /// stopped (SIGSTOP) while they queue, so every one is still waiting when SIGTERM and SIGCONT come.
    @Test func connectionsWaitingToBeAcceptedAtSIGTERMAreServed() async throws {
        try await Self.withGatewayToDrain { gateway, _, exited in
            let client = CurlTransport(maxConcurrentTransfers: 64)
            defer { client.shutdown() }

            kill(gateway.process.pid, SIGSTOP)
            let count = 40
            let sent = (0..<count).map { _ in
                Task { () -> String in
                    do {
                        let response = try await client.send(
                            HTTPRequest(
                                method: .post, url: gateway.base + "/v1/chat/completions",
                                headers: ["content-type": "application/json"], body: Self.chat, timeout: Self.queuedRequestTimeout))
                        return response.status == 200 ? "200" : "\(response.status) \(response.bodyText.prefix(200))"
                    } catch {
                        return "\(error)"
                    }
                }
            }
            // The kernel completes each connection and takes its request while the gateway is stopped.
            // On a loaded machine a client can be slow to connect (39 of 40 in 10 s once): the test needs a full
            // queue to mean something, not every one of them.
            let queued = try await ListenerAcceptQueue.wait(port: gateway.port, toHold: count, within: Self.queueFillTimeout)
            kill(gateway.process.pid, SIGTERM)
            kill(gateway.process.pid, SIGCONT)
            var answers: [String] = []
            for request in sent { answers.append(await request.value) }
            let status = await gateway.process.exitStatus(within: .seconds(30))
            exited = status != nil
            let failed = answers.filter { $0 != "200" }
            print("accept queue drain test: \(queued) connections queued at SIGTERM, \(failed.count) of \(count) failed")
            #expect(queued >= count / 2, "only \(queued) of \(count) connections reached the accept queue")
            #expect(failed.isEmpty, "\(failed.count) of \(count) requests failed, e.g. \(failed.prefix(3))")
            #expect(status == 0, "qlp gateway exited with status \(status.map(String.init) ?? "none (still running)")")
        }
    }

    /// How long the accept-queue test waits for its connections to queue, and how long each of their
    /// requests may take from its send: the queueing, then the drain. With both at 30 s, a queue one short
    /// of full on a loaded machine (39 of 40 once) left every request timed out before the gateway resumed.
    static let queueFillTimeout: Duration = .seconds(20)
    static let queuedRequestTimeout: Duration = queueFillTimeout + .seconds(40)

    @Test func sighupTakesUpAnEditedWeightUnderLoadWithoutAClientError() async throws {
        await MachineTurns.shared.take()
        defer { MachineTurns.shared.give() }
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let upstream = try await EmulatorProcess(scratch: scratch)
        defer { upstream.stop() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try GatewayProcess.config(
            azure: upstream.port, ollama: upstream.port, port: port, adminPort: adminPort,
            scratch: scratch, breaker: "  admin_token: \"\(Self.token)\"")
        let gateway = try await GatewayProcess.start(config: config, port: port, adminPort: adminPort, scratch: scratch)
        defer { gateway.stop() }
        let client = CurlTransport(maxConcurrentTransfers: 64)
        defer { client.shutdown() }
        let admin = HTTPHeaders([("Authorization", "Bearer \(Self.token)")])
        func version() async throws -> Int {
            let health = try await client.send(HTTPRequest(url: gateway.base + "/healthz", timeout: .seconds(5)))
            return (try JSONSerialization.jsonObject(with: Data(health.body)) as? [String: Any])?["routes_version"] as? Int ?? -1
        }
        let before = try await version()

        let outcomes = Outcomes()
        let load = Self.load(client, url: gateway.base + "/v1/chat/completions", rate: 200, until: 4, workers: 48, outcomes: outcomes)
        try await Task.sleep(for: .seconds(1))
        let text = try String(contentsOfFile: config, encoding: .utf8)
        let edited = text.replacingOccurrences(
            of: "weights: {gpt4: 40, gpt35: 40, llama3: 20}", with: "weights: {gpt4: 10, gpt35: 30, llama3: 60}")
        #expect(edited != text)
        try edited.write(toFile: config, atomically: true, encoding: .utf8)
        kill(gateway.process.pid, SIGHUP)
        await load.value

        var after = before
        for _ in 0..<50 where after == before {
            after = try await version()
            if after == before { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(after == before + 1, "the routes version went from \(before) to \(after)")
        let audit = try await client.send(
            HTTPRequest(
                url: "http://127.0.0.1:\(adminPort)/admin/audit?limit=5", headers: admin,
                timeout: .seconds(5)))
        #expect(audit.status == 200)
        let entries = (try JSONSerialization.jsonObject(with: Data(audit.body)) as? [String: Any])?["entries"] as? [[String: Any]] ?? []
        let edit = entries.first { $0["actor"] as? String == "config" && $0["toVersion"] as? Int == before + 1 }
        #expect(edit != nil, "no change by \"config\" to version \(before + 1) in the audit log: \(audit.bodyText)")
        #expect((edit?["summary"] as? String)?.contains("llama3") == true, "\(audit.bodyText)")
        let table = try await client.send(
            HTTPRequest(
                url: "http://127.0.0.1:\(adminPort)/admin/routes", headers: admin,
                timeout: .seconds(5)))
        #expect(table.bodyText.contains("60"), "\(table.bodyText)")
        let all = outcomes.list.withLock { $0 }
        let failures = all.filter { $0.status != 200 }
        // What matters is load on both sides of the reload (signalled about 1 s in), not the total: the client
        // is paced at 200/s but falls behind under the whole suite on 2 cores (399 of 800 once; 103, 66 before
        // and 37 after the signal, in a fresh-clone run on 2026-12-07, all of them answered 200).
        let afterSignal = all.filter { $0.at >= 1.0 }.count
        #expect(
            all.count - afterSignal >= 20 && afterSignal >= 20,
            "\(all.count) requests ran, \(afterSignal) of them started after the reload was signalled")
        #expect(
            failures.isEmpty,
            "\(failures.count) client-visible errors, e.g. \(failures.prefix(3).map { "\($0.status) \($0.problem ?? "")" })")
        let output = (try? String(contentsOfFile: scratch.path + "/gateway.out", encoding: .utf8)) ?? ""
        #expect(
            output.contains("qlp.gateway: config reloaded") && output.contains("routes_version=\(before + 1)"), "\(output.suffix(2000))")
        #expect(!output.contains(Self.token), "the admin token appears in the log")
        #expect(gateway.process.isRunning)
    }

    /// The event loop upstream client (the default) connects to the upstreams directly. A gateway
    /// started where HTTPS_PROXY is set, which libcurl would have followed, says so in its log and banner.
    @Test func aProxyInTheEnvironmentThatTheUpstreamClientWillNotUseIsNamed() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let (port, adminPort) = (try freeLoopbackPort(), try freeLoopbackPort())
        let nobody = try freeLoopbackPort()
        let config = try GatewayProcess.config(
            azure: nobody, ollama: nobody, port: port, adminPort: adminPort, scratch: scratch, breaker: "")
        var environment = ProcessInfo.processInfo.environment
        for name in ["https_proxy", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"] { environment[name] = nil }
        environment["HTTPS_PROXY"] = "http://127.0.0.1:\(nobody)"
        let gateway = try await GatewayProcess.start(
            config: config, port: port, adminPort: adminPort, scratch: scratch, environment: environment)
        defer { gateway.stop() }
        let output = try String(contentsOfFile: gateway.logPath, encoding: .utf8)
        let warning = try #require(
            output.split(separator: "\n").first { $0.contains("warning") && $0.contains("gateway.upstream_client is event_loop") },
            "\(output.suffix(2000))")
        #expect(warning.contains("variables=HTTPS_PROXY") && warning.contains("libcurl"), "\(warning)")
        #expect(
            output.contains("client: event_loop (gateway.upstream_client) (not through the proxy in HTTPS_PROXY)"), "\(output.suffix(2000))"
        )
    }

    @Test func aBrokenConfigOnSighupIsLoggedWithItsLineAndServingGoesOn() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let upstream = try await EmulatorProcess(scratch: scratch)
        defer { upstream.stop() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let config = try GatewayProcess.config(
            azure: upstream.port, ollama: upstream.port, port: port, adminPort: adminPort,
            scratch: scratch, breaker: "  request_timeout: 60s")
        // JSON lines this time, as a log collector reads them.
        let outputPath = scratch.path + "/gateway-json.out"
        let process = try BackgroundProcess(
            [QLPBinary.path, "gateway", "--config", config, "--log-format", "json"], outputPath: outputPath)
        defer { process.stop() }
        try await process.waitForOutput(GatewayProcess.started)
        let client = CurlTransport()
        defer { client.shutdown() }
        let base = "http://127.0.0.1:\(port)"

        let text = try String(contentsOfFile: config, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let line = try #require(lines.firstIndex { $0.contains("request_timeout: 60s") }) + 1
        try text.replacingOccurrences(of: "request_timeout: 60s", with: "request_timeout: soon").write(
            toFile: config, atomically: true,
            encoding: .utf8)
        kill(process.pid, SIGHUP)
        try await process.waitForOutput("config reload failed")
        let answer = try await client.send(
            HTTPRequest(
                method: .post, url: base + "/v1/chat/completions",
                headers: ["content-type": "application/json"], body: Self.chat, timeout: .seconds(20)))
        #expect(answer.status == 200)
        #expect(process.isRunning)

        let output = try String(contentsOfFile: outputPath, encoding: .utf8)
        let logLines = output.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(logLines.count >= 3, "\(output)")
        var failure: [String: Any]?
        for logLine in logLines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(logLine.utf8)) as? [String: Any], "not JSON: \(logLine)")
            #expect(
                object["ts"] is String && object["level"] is String && object["label"] is String && object["msg"] is String,
                "\(logLine)")
            if object["msg"] as? String == "config reload failed; the running config stays" { failure = object }
        }
        let errors = try #require((failure?["metadata"] as? [String: Any])?["errors"] as? String, "\(output)")
        #expect(failure?["level"] as? String == "error")
        #expect(errors.contains("\(config):\(line)") && errors.contains("gateway.request_timeout"), "\(errors)")
    }
}

extension BackgroundProcess {
    /// Whether it has not exited (signal 0 reaches it, and it is not a zombie waiting to be reaped).
    var isRunning: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }
}
