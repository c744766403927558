import Foundation
import Logging
import QLPCore
import QLPGateway
import QLPRedis
import QLPRouting
import QLPStore
import QLPTestSupport
import Testing

@testable import QLPFleet

/// The fleet's route store on a real redis-server of the test's own: the
/// same guarantees as the SQLite store (atomic commits with their audit
/// entry, no gap, stale commits refused), shared by several replicas.
@Suite("Redis route store", .serialized, .timeLimit(.minutes(2)))
struct RedisRouteStoreTests {
    static let table = RouteTable(
        version: 0,
        targets: [
            RouteTarget(
                name: "a", backend: .ollama, endpoint: "http://127.0.0.1:9", upstreamModel: "llama3:8b",
                inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 8192),
            RouteTarget(
                name: "b", backend: .ollama, endpoint: "http://127.0.0.1:9", upstreamModel: "mistral:7b",
                inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 8192),
        ],
        routes: [
            Route(
                name: "chat", policy: .weighted, shares: [.init(target: "a", weight: 50), .init(target: "b", weight: 50)],
                fallback: [])
        ],
        budgetRules: [
            BudgetRoutingRule(
                name: "over_95", category: "azure_openai", atPercent: 95, route: "chat", sendTo: "b",
                exceptTargets: [])
        ])

    struct Replica {
        let store: RedisRouteStore
        let authority: RouteAuthority
    }

    static func replica(
        _ redis: RedisServerFixture, _ directory: String, _ name: String,
        configTable: RouteTable = table
    ) async throws -> Replica {
        let settings = FleetSettings(redisURL: Secret(redis.url), replicaName: name, keyPrefix: "test:")
        // What the store logs is checked through its status here, not read off the test's output.
        var quiet = Logger(label: "qlp.fleet.test")
        quiet.logLevel = .critical
        let (authority, store) = try await FleetRouteAuthority.open(
            settings: settings, localCopyPath: "\(directory)/\(name).sqlite",
            configTable: configTable, logger: quiet)
        return Replica(store: store, authority: authority)
    }

    /// A redis-server and a directory of the test's own, both gone afterwards whatever happens.
    static func withRedis(_ body: (RedisServerFixture, String) async throws -> Void) async throws {
        let redis = try await RedisServerFixture.start()
        let dir: String
        do {
            dir = try directory()
        } catch {
            await redis.remove()
            throw error
        }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            try await body(redis, dir)
        } catch {
            await redis.remove()
            throw error
        }
        await redis.remove()
    }

    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qlp-fleet-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let toB: [Route.Share] = [.init(target: "a", weight: 0), .init(target: "b", weight: 100)]
    static let toA: [Route.Share] = [.init(target: "a", weight: 100), .init(target: "b", weight: 0)]

    @Test func replicasSeedOnceCommitWithAuditAndRefuseAStaleVersion() async throws {
        try await Self.withRedis { redis, dir in
            let one = try await Self.replica(redis, dir, "one")
            let two = try await Self.replica(redis, dir, "two")
            #expect(one.authority.live.snapshot.table.version == 1 && two.authority.live.snapshot.table.version == 1)
            let entry = try await one.authority.apply(
                .setWeights(route: "chat", weights: Self.toB), expectedVersion: 1,
                actor: "alice", reason: "test")
            #expect(entry.fromVersion == 1 && entry.toVersion == 2 && entry.outcome == .applied && entry.actor == "alice")
            // Two's change made against version 1 is stale: refused with the current version, and audited.
            await #expect(throws: RouteChangeRejection.stale(current: 2)) {
                try await two.authority.apply(.setWeights(route: "chat", weights: Self.toA), expectedVersion: 1, actor: "bob", reason: nil)
            }
            let log = try await two.store.audit(limit: 10)
            #expect(log.map(\.outcome) == [.rejected, .applied, .applied])
            #expect(log.map(\.action) == [.setWeights, .setWeights, .seed])
            #expect(log.map(\.id) == [3, 2, 1])
            #expect(try await one.store.lastApplied()?.toVersion == 2)
            #expect(try await one.store.table(version: 1)?.route(named: "chat")?.shares.map(\.weight) == [50, 50])
            // Undo through the other replica puts version 1's table back as version 3.
            try await two.authority.undo(actor: "bob", reason: nil)
            #expect(try await one.store.latest()?.version == 3)
            #expect(try await one.store.latest()?.route(named: "chat")?.shares.map(\.weight) == [50, 50])
        }
    }

    @Test func anotherReplicasCommitArrivesByAnnouncement() async throws {
        try await Self.withRedis { redis, dir in
            let one = try await Self.replica(redis, dir, "one")
            let two = try await Self.replica(redis, dir, "two")
            // Only the announcements: no periodic look runs in this test.
            let following = Task { await two.authority.followAnnouncements() }
            defer { following.cancel() }
            try await Task.sleep(for: .milliseconds(300))
            let clock = ContinuousClock()
            let started = clock.now
            try await one.authority.apply(.setWeights(route: "chat", weights: Self.toB), expectedVersion: 1, actor: "alice", reason: nil)
            while two.authority.live.snapshot.table.version < 2, clock.now - started < .seconds(5) {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(two.authority.live.snapshot.table.version == 2)
            #expect(two.authority.live.snapshot.table.route(named: "chat")?.shares == Self.toB)
        }
    }

    /// Issue 11, acceptance 6: three replicas see spend cross the rule's
    /// threshold; the shared audit log records the firing once.
    @Test func aBudgetRuleFiresOnceForTheFleet() async throws {
        try await Self.withRedis { redis, dir in
            var replicas: [Replica] = []
            for name in ["one", "two", "three"] { replicas.append(try await Self.replica(redis, dir, name)) }
            await withTaskGroup(of: Void.self) { group in
                for replica in replicas {
                    group.addTask { await replica.authority.updateBudget(percentSpent: ["azure_openai": 97]) }
                }
            }
            for replica in replicas {
                #expect(replica.authority.live.snapshot.compiled.activeRules.map(\.name) == ["over_95"])
            }
            let log = try await replicas[0].store.audit(limit: 10)
            #expect(log.filter { $0.action == .budgetRuleFired }.count == 1)
            for replica in replicas { await replica.authority.updateBudget(percentSpent: ["azure_openai": 10]) }
            let after = try await replicas[0].store.audit(limit: 10).map(\.action)
            #expect(after == [.budgetRuleCleared, .budgetRuleFired, .seed])
        }
    }

    /// Redis down: changes are refused naming Redis and its address, the
    /// replica serves its table and says it is unhealthy; a replica started
    /// meanwhile serves its local copy; when Redis is back both catch up.
    @Test func withoutRedisReplicasServeTheirTableRefuseChangesAndCatchUpAfter() async throws {
        try await Self.withRedis { redis, dir in
            let one = try await Self.replica(redis, dir, "one")
            try await one.authority.apply(.setWeights(route: "chat", weights: Self.toB), expectedVersion: 1, actor: "alice", reason: nil)
            // Two has read version 2 once, then stops (its local copy stays).
            _ = try await Self.replica(redis, dir, "two")
            await redis.stop()

            await #expect {
                try await one.authority.apply(
                    .setWeights(route: "chat", weights: Self.toA), expectedVersion: 2, actor: "alice", reason: nil)
            } throws: { error in
                let text = "\(error)"
                return text.contains("Redis at 127.0.0.1:\(redis.port)") && text.contains("not saved")
            }
            #expect(one.store.status.healthy == false)
            #expect(one.authority.live.snapshot.table.version == 2)

            let restarted = try await Self.replica(redis, dir, "two")
            #expect(restarted.authority.live.snapshot.table.version == 2)
            #expect(restarted.authority.live.snapshot.table.route(named: "chat")?.shares == Self.toB)
            #expect(restarted.store.status.healthy == false)
            #expect(restarted.store.status.detail?.contains("local copy of route table version 2") == true)

            try await redis.start()
            try await one.authority.apply(.setWeights(route: "chat", weights: Self.toA), expectedVersion: 2, actor: "alice", reason: nil)
            #expect(one.store.status.healthy)
            #expect(try await restarted.authority.catchUp())
            #expect(restarted.authority.live.snapshot.table.version == 3)
            #expect(restarted.store.status.healthy)
        }
    }

    @Test func aStartWithAnEditedConfigMergesTheEditOnceAcrossReplicas() async throws {
        try await Self.withRedis { redis, dir in
            let one = try await Self.replica(redis, dir, "one")
            try await one.authority.apply(.drain(target: "a"), expectedVersion: 1, actor: "alice", reason: nil)
            let edited = { () -> RouteTable in
                var table = Self.table
                table.routes[0].fallback = ["b"]
                return table
            }()
            // Three replicas restart with the edited file at once: one commits the edit, the others take it.
            let restarted = try await withThrowingTaskGroup(of: Int.self) { group in
                for name in ["one", "two", "three"] {
                    group.addTask { try await Self.replica(redis, dir, name, configTable: edited).authority.live.snapshot.table.version }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(restarted == [3, 3, 3])
            let latest = try #require(try await one.store.latest())
            #expect(latest.isDrained("a") && latest.route(named: "chat")?.fallback == ["b"])
            #expect(try await one.store.audit(limit: 10).map(\.action) == [.configEdit, .drain, .seed])
        }
    }

    /// Issue 16, item 5: a SIGHUP on one replica after the config file's routing was edited
    /// commits the edit once, audited by "config", on top of an operator's change; the
    /// other replica takes it up, and its own SIGHUP with the same file changes nothing.
    @Test func aConfigReloadOnOneReplicaBecomesOneVersionForTheFleet() async throws {
        let redis = try await RedisServerFixture.start()
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let one = try await Self.replica(redis, dir, "one")
            let two = try await Self.replica(redis, dir, "two")
            try await one.authority.apply(.drain(target: "a"), expectedVersion: 1, actor: "alice", reason: nil)
            var edited = Self.table
            edited.routes[0].shares = [.init(target: "a", weight: 20), .init(target: "b", weight: 80)]
            #expect(try await one.authority.reload(configTable: edited) == 3)
            let entry = try #require(try await one.store.audit(limit: 1).first)
            #expect(entry.actor == "config" && entry.action == .configEdit && entry.toVersion == 3, "\(entry)")
            #expect(one.authority.live.snapshot.table.drained == ["a"], "the operator's drain was lost")
            #expect(try await two.authority.catchUp())
            #expect(two.authority.live.snapshot.table.route(named: "chat")?.shares.map(\.weight) == [20, 80])
            #expect(try await two.authority.reload(configTable: edited) == nil)
            #expect(try await two.store.latestVersion() == 3)
            await redis.remove()
        } catch {
            await redis.remove()
            throw error
        }
    }
}
