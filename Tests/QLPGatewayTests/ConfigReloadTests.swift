import Foundation
import QLPConfig
import QLPCore
import QLPRouting
import QLPStore
import Testing

@testable import QLPGateway

/// Issue 16, item 5: what a SIGHUP takes up while serving. The routing edit
/// becomes a new version audited by "config" (the rule start-up follows),
/// client keys and per-request limits change for the next request, and every
/// other change is named as needing a restart.
@Suite("Config reload (SIGHUP)")
struct ConfigReloadTests {
    static let budget = """
        budget:
          total: 5000.00
          credit_start: 2026-10-01
          credit_expiry: 2027-09-30
          monthly:
            amount: 1000.00
            alerts: [80, 95]
          allocation:
            compute:
              amount: 2000.00
              services: [Virtual Machine Scale Sets]
            azure_openai:
              amount: 1500.00
              services: [Azure AI Services]
            databases_storage:
              amount: 800.00
              services: [Storage]
            networking_security:
              amount: 400.00
              services: [Bandwidth]
            monitoring_devops:
              amount: 300.00
              services: [Log Analytics]

        """

    func parse(_ gateway: String) throws -> QLPConfiguration {
        try ConfigParser(environment: [:], requireAzure: false).parse(yaml: Self.budget + "gateway:\n" + gateway, file: "gw.yaml")
    }

    @Test func changesOnlyARestartTakesUpAreNamedByTheirKeys() throws {
        let running = try parse("  listen: \"127.0.0.1:8088\"\n  request_timeout: 60s\n")
        #expect(ConfigReload.needingRestart(running: running, edited: running).isEmpty)
        // Limits and client keys are live: nothing to restart for.
        let limits = try parse(
            "  listen: \"127.0.0.1:8088\"\n  request_timeout: 30s\n  max_attempts: 2\n"
                + "  client_key_sha256: [\"\(String(repeating: "ab", count: 32))\"]\n")
        #expect(ConfigReload.needingRestart(running: running, edited: limits).isEmpty)
        let moved = try parse(
            "  listen: \"127.0.0.1:9099\"\n  request_timeout: 60s\n  idle_timeout: 5s\n  admin_listen: \"127.0.0.1:9100\"\n")
        #expect(
            ConfigReload.needingRestart(running: running, edited: moved) == [
                "gateway.listen", "gateway.admin_listen", "gateway.idle_timeout",
            ])
        var fleet = running
        fleet.fleet = FleetSettings(redisURL: Secret("redis://127.0.0.1:6379"))
        #expect(ConfigReload.needingRestart(running: running, edited: fleet) == ["fleet"])
        // Sinks reload live (qlp gateway's GatewayNotifications); the reminder interval the alert tracker was built with does not.
        var sinks = running
        sinks.notifications.sinks = [NotificationSink(name: "oncall", destination: .webhook(url: Secret("https://alerts.example.com/h")))]
        #expect(ConfigReload.needingRestart(running: running, edited: sinks).isEmpty)
        sinks.notifications.reminderInterval = .seconds(600)
        #expect(ConfigReload.needingRestart(running: running, edited: sinks) == ["notifications.reminder_interval"])
    }

    @Test func liveSettingsChangeForTheNextRequestAndSayWhichChanged() async throws {
        let gateway = try Gateway(
            settings: GatewaySettings(), routes: LiveRouteTable(RouteTableFixture.table()), upstream: UpstreamSettings())
        var edited = GatewaySettings(requestTimeout: .seconds(30), maxAttempts: 2)
        edited.port = 9999
        #expect(gateway.applyLiveSettings(from: edited) == ["gateway.request_timeout", "gateway.max_attempts"])
        #expect(gateway.settings.requestTimeout == .seconds(30) && gateway.retryPolicy.maxAttempts == 2)
        // Not live: the listener's port stays what it bound.
        #expect(gateway.settings.port == 8088)
        #expect(gateway.applyLiveSettings(from: edited).isEmpty)
        await gateway.shutdown()
    }

    @Test func editedClientKeysLetANewKeyInAndShutARemovedOneOut() throws {
        let old = ClientKeys.hexDigest(of: "sk-old")
        let new = ClientKeys.hexDigest(of: "sk-new")
        let keys = try KeyGate(configDigests: [old], timeZone: TimeZone(identifier: "UTC")!)
        #expect(keys.identify(authorization: "Bearer sk-old", now: Date()) != nil)
        #expect(keys.identify(authorization: "Bearer sk-new", now: Date()) == nil)
        try keys.reload(configDigests: [new])
        #expect(keys.identify(authorization: "Bearer sk-old", now: Date()) == nil)
        #expect(keys.identify(authorization: "Bearer sk-new", now: Date()) != nil)
        #expect(throws: ClientKeys.ParseError.self) { try keys.reload(configDigests: ["not-hex"]) }
        #expect(keys.identify(authorization: "Bearer sk-new", now: Date()) != nil)
    }

    @Test func aRoutingEditBecomesANewVersionAuditedByConfigOnTopOfOperatorChanges() async throws {
        let dir = RouteTableFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let authority = try RouteAuthority.open(databasePath: dir + "/routes.sqlite", configTable: RouteTableFixture.table())
        // An operator's change since start, which the edit (of the chat weights alone) leaves in force.
        try await authority.apply(.drain(target: "codellama"), expectedVersion: 1, actor: "alice", reason: nil)
        #expect(try await authority.reload(configTable: RouteTableFixture.table()) == nil)
        let edited = RouteTableFixture.table(chat: [("gpt4", 10), ("gpt35", 30), ("llama3", 60)])
        #expect(try await authority.reload(configTable: edited) == 3)
        #expect(authority.live.snapshot.table.version == 3)
        let chat = try #require(authority.live.snapshot.table.routes.first { $0.name == "chat" })
        #expect(chat.shares.map(\.weight) == [10, 30, 60])
        let entry = try #require(try await authority.store.audit(limit: 1).first)
        #expect(entry.actor == "config" && entry.action == .configEdit && entry.toVersion == 3, "\(entry)")
        // The operator's change stays in force.
        #expect(authority.live.snapshot.table.drained.contains("codellama"))
        // The same file again changes nothing.
        #expect(try await authority.reload(configTable: edited) == nil)
    }

    @Test func aReloadThatWouldOpenAGatewayBeyondLoopbackWithoutKeysChangesNothing() async throws {
        let dir = RouteTableFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let digest = ClientKeys.hexDigest(of: "sk-fleet")
        let settings = GatewaySettings(host: "0.0.0.0", clientKeyHashes: [digest])
        let stack = try GatewayStack(
            configTable: RouteTableFixture.table(), databasePath: dir + "/routes.sqlite", settings: settings,
            upstream: UpstreamSettings())
        var edited = settings
        edited.clientKeyHashes = []
        edited.maxAttempts = 1
        let edit = RouteTableFixture.table(chat: [("gpt4", 10), ("gpt35", 30), ("llama3", 60)])
        await #expect(throws: GatewayStack.ReloadError.self) { try await stack.reload(configTable: edit, settings: edited) }
        #expect(stack.gateway.keys.identify(authorization: "Bearer sk-fleet", now: Date()) != nil)
        #expect(stack.gateway.settings.maxAttempts == settings.maxAttempts)
        #expect(stack.authority.live.snapshot.table.version == 1)
        // With a key listed, the same edit is taken up.
        edited.clientKeyHashes = [digest]
        let reloaded = try await stack.reload(configTable: edit, settings: edited)
        #expect(reloaded == GatewayStack.Reloaded(routesVersion: 2, changedKeys: ["gateway.max_attempts"]))
        await stack.gateway.shutdown()
        await stack.stop()
    }
}
