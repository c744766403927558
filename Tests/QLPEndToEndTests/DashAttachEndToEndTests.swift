import Foundation
import QLPEmulator
import QLPHTTP
import QLPTestSupport
import Testing

/// Issue 11 acceptance 5 on the real terminal: `qlp dash --attach` two
/// `qlp gateway` replicas sharing one route database, at 80x24: the Routing
/// view shows both replicas' versions, `-` `-` Enter y changes the fleet
/// through the admin API, and a change made meanwhile with `qlp routes` shows
/// within 2 s.
@Suite(.serialized, .timeLimit(.minutes(4))) struct DashAttachEndToEndTests {
    typealias Routes = RouteChangeEndToEndTests

    /// Two gateway configs on one state directory (so one routes.sqlite), each with its own ports.
    static func replicaConfigs(scratch: ScratchDirectory) throws -> [(config: String, admin: Int)] {
        try ["a", "b"].map { name in
            let port = try freeLoopbackPort()
            let admin = try freeLoopbackPort()
            let written = try Routes.config(scratch: scratch, port: port, adminPort: admin)
            let path = scratch.path + "/replica-\(name).yaml"
            try FileManager.default.moveItem(atPath: written, toPath: path)
            return (path, admin)
        }
    }

    static func version(_ client: CurlTransport, admin: Int) async throws -> Int? {
        let reply = try await Routes.send(client, .get, "http://127.0.0.1:\(admin)/admin/routes")
        return Routes.object(reply)["version"] as? Int
    }

    @Test func attachedToTwoReplicasItShowsBothAndChangesTheFleet() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let azure = try await RunningEmulator.start(in: scratch)
        defer { azure.stop() }
        let replicas = try Self.replicaConfigs(scratch: scratch)
        var gateways: [BackgroundProcess] = []
        defer { for gateway in gateways { gateway.stop() } }
        for (index, replica) in replicas.enumerated() {
            gateways.append(try await Routes.startGateway(config: replica.config, scratch: scratch, run: index))
        }
        let client = CurlTransport()
        defer { client.shutdown() }
        // The second replica may merge the config into the shared table as a version of its own: start from what they serve.
        let base = try #require(try await Self.version(client, admin: replicas[0].admin))
        let dashConfig = try DoctorCommandTests().config(port: azure.port, secret: "", scratch: scratch)
        let attach = replicas.map { "--attach http://127.0.0.1:\($0.admin)" }.joined(separator: " ")
        let tmux = try await TmuxSession.start(
            command: "\(QLPBinary.path) dash --config \(dashConfig) \(attach)", width: 80, height: 24,
            environment: [
                "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC", "USER": "dana",
                "QLP_ADMIN_TOKEN": Routes.token,
                "DOCTOR_TEST_SECRET": EmulatorConfiguration.demoClientSecret,
            ])
        defer { tmux.kill() }
        try await tmux.waitFor("the dashboard", timeout: TmuxSession.firstScreenTimeout) { $0.contains("attached: 2 replicas") }
        try await tmux.send("4")
        // Both replicas are named after this host (no fleet.replica_name here): two "v<base> ok".
        func fleetLine(_ screen: String) -> String { screen.split(separator: "\n").first { $0.contains("fleet: ") }.map(String.init) ?? "" }
        func serving(_ version: Int, _ screen: String) -> Bool {
            fleetLine(screen).components(separatedBy: " v\(version) ok").count - 1 == 2
        }
        try await tmux.waitFor("both replicas at the first version") {
            serving(base, $0) && $0.contains("table v\(base)") && $0.contains("gpt4")
        }

        // gpt4 is the first row: two presses of - move 10 points to the others; Enter reviews, y applies.
        try await tmux.send("-")
        try await tmux.send("-")
        try await tmux.waitFor("the draft") { $0.contains("DRAFT") }
        try await tmux.send("Enter")
        try await Task.sleep(for: .milliseconds(500))
        try await tmux.send("y")
        let applied = try await tmux.waitFor("the change on both replicas", timeout: .seconds(10)) {
            serving(base + 1, $0) && $0.contains("table v\(base + 1)")
        }
        #expect(applied.contains("30%"), "\(applied)")
        for replica in replicas {
            #expect(try await Self.version(client, admin: replica.admin) == base + 1)
        }

        // Someone else drains llama3 through replica b with `qlp routes`: on screen within 2 s.
        var environment = ProcessInfo.processInfo.environment
        environment["QLP_ADMIN_TOKEN"] = nil
        environment["USER"] = "erin"
        let drain = try await Subprocess.run(
            [QLPBinary.path, "routes", "drain", "llama3", "--config", replicas[1].config],
            environment: environment)
        #expect(drain.status == 0, "\(drain.error)")
        let drained = ContinuousClock.now
        let seen = try await tmux.waitFor("the drain on screen", timeout: .seconds(2)) {
            $0.contains("table v\(base + 2)") && $0.contains("DRAINED") && serving(base + 2, $0)
        }
        #expect(ContinuousClock.now - drained < .seconds(2.5), "\(seen)")
        let audit = try await Routes.send(client, .get, "http://127.0.0.1:\(replicas[0].admin)/admin/audit?limit=5")
        // The audit's who: the token's name, then the operator the dashboard sent.
        #expect(audit.bodyText.contains(#""actor":"admin\/dana""#), "\(audit.bodyText)")

        // A replica going away shows as down; the other still answers.
        await gateways[1].terminate()
        try await tmux.waitFor("one replica down", timeout: .seconds(10)) { fleetLine($0).contains(" down") && !serving(base + 2, $0) }
        try await tmux.send("q")
    }

    /// With the viewer token the change keys are hidden and say why, and the
    /// replica itself refuses a change sent anyway with 403.
    @Test func aViewerTokenHidesTheChangeKeysAndTheReplicaRefusesAForcedChange() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let azure = try await RunningEmulator.start(in: scratch)
        defer { azure.stop() }
        let viewer = "view-e2e-0c5d7e19a2b4f638"
        let replica = try Self.replicaConfigs(scratch: scratch)[0]
        let text = try String(contentsOfFile: replica.config, encoding: .utf8)
            .replacingOccurrences(
                of: "  admin_token: \"\(Routes.token)\"", with: "  admin_token: \"\(Routes.token)\"\n  viewer_token: \"\(viewer)\"")
        #expect(text.contains("viewer_token"))
        try text.write(toFile: replica.config, atomically: true, encoding: .utf8)
        let gateway = try await Routes.startGateway(config: replica.config, scratch: scratch, run: 0)
        defer { gateway.stop() }
        let dashConfig = try DoctorCommandTests().config(port: azure.port, secret: "", scratch: scratch)
        let tmux = try await TmuxSession.start(
            command: "\(QLPBinary.path) dash --config \(dashConfig) --attach http://127.0.0.1:\(replica.admin)",
            width: 80, height: 24,
            environment: [
                "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC", "QLP_ADMIN_TOKEN": viewer,
                "DOCTOR_TEST_SECRET": EmulatorConfiguration.demoClientSecret,
            ])
        defer { tmux.kill() }
        try await tmux.waitFor("the dashboard", timeout: TmuxSession.firstScreenTimeout) { $0.contains("attached: 1 replica") }
        try await tmux.send("4")
        let routing = try await tmux.waitFor("the read-only Routing view") { $0.contains("read-only: viewer token") && $0.contains("gpt4") }
        #expect(!routing.contains("+/- weight") && !routing.contains("d drain"), "\(routing)")
        try await tmux.send("-")
        let refused = try await tmux.waitFor("the refusal") {
            $0.split(separator: "\n").contains { $0.contains("read-only: viewer token") && !$0.contains("ROUTES") }
        }
        #expect(!refused.contains("DRAFT"), "\(refused)")

        // Forced past the screen: the replica refuses it.
        let client = CurlTransport()
        defer { client.shutdown() }
        var headers = HTTPHeaders([("Authorization", "Bearer \(viewer)"), ("X-QLP-Actor", "mallory"), ("Content-Type", "application/json")])
        headers.add(name: "Accept", value: "application/json")
        let forced = try await client.send(
            HTTPRequest(
                method: .post, url: "http://127.0.0.1:\(replica.admin)/admin/targets/gpt4/drain",
                headers: headers, body: Array(#"{"version":1}"#.utf8),
                timeout: .seconds(10), connectTimeout: .seconds(2)))
        #expect(forced.status == 403, "\(forced.bodyText)")
        try await tmux.send("q")
    }
}
