import Foundation
import QLPRouting
import QLPStore
import Testing

@testable import QLPGateway

/// Two processes on one route database (`qlp gateway` and `qlp dash`, or two
/// demos on one state directory): each has its own authority over the same
/// file. These tests open two authorities on one SQLite file, as two processes would.
@Suite("Route authority: changes another process committed")
struct RouteAuthorityReloadTests {
    private static let allToGPT4: [Route.Share] = [
        .init(target: "gpt4", weight: 100), .init(target: "gpt35", weight: 0),
        .init(target: "llama3", weight: 0),
    ]
    private static let allToLlama: [Route.Share] = [
        .init(target: "gpt4", weight: 0), .init(target: "gpt35", weight: 0),
        .init(target: "llama3", weight: 100),
    ]

    private static func pair() throws -> (RouteAuthority, RouteAuthority, String) {
        let dir = RouteTableFixture.temporaryDirectory()
        let path = dir + "/routes.sqlite"
        let first = try RouteAuthority.open(databasePath: path, configTable: RouteTableFixture.table())
        let second = try RouteAuthority.open(databasePath: path, configTable: RouteTableFixture.table())
        return (first, second, dir)
    }

    @Test func finding06_aChangeThroughTheOtherAuthoritySucceedsAfterOneCommittedThroughTheFirst() async throws {
        let (first, second, dir) = try Self.pair()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await first.apply(.setWeights(route: "chat", weights: Self.allToGPT4), expectedVersion: 1, actor: "alice", reason: nil)
        // Made without a version (as the dashboard's keys and `qlp routes undo` do): applied on top of alice's change.
        let entry = try await second.apply(.drain(target: "gpt35"), expectedVersion: nil, actor: "bob", reason: nil)
        #expect(entry.fromVersion == 2 && entry.toVersion == 3)
        let served = second.live.snapshot.table
        #expect(served.version == 3 && served.isDrained("gpt35"))
        #expect(served.route(named: "chat")?.shares == Self.allToGPT4)
        // And back the other way, against the version bob's change made.
        try await first.apply(.setWeights(route: "chat", weights: Self.allToLlama), expectedVersion: 3, actor: "alice", reason: nil)
        #expect(first.live.snapshot.table.isDrained("gpt35"))
        #expect(try await first.store.latest()?.version == 4)
    }

    @Test func finding06_aStaleVersionIsStillRefusedWithTheFreshVersion() async throws {
        let (first, second, dir) = try Self.pair()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await first.apply(.drain(target: "gpt35"), expectedVersion: 1, actor: "alice", reason: nil)
        try await first.apply(.drain(target: "llama3"), expectedVersion: 2, actor: "alice", reason: nil)
        await #expect(throws: RouteChangeRejection.stale(current: 3)) {
            try await second.apply(.undrain(target: "gpt35"), expectedVersion: 1, actor: "bob", reason: nil)
        }
        let refused = try await second.store.audit(limit: 1)[0]
        #expect(refused.outcome == .rejected && refused.rejection == "stale: made against version 1, the table is at version 3")
        // The refusal brought bob's authority up to date: what it serves is alice's table.
        #expect(second.live.snapshot.table.version == 3 && second.live.snapshot.table.isDrained("llama3"))
    }

    @Test func finding06_undoThroughTheOtherAuthorityUndoesTheLastChangeWhoeverMadeIt() async throws {
        let (first, second, dir) = try Self.pair()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await first.apply(.drain(target: "gpt35"), expectedVersion: 1, actor: "alice", reason: nil)
        let undo = try await second.undo(actor: "bob", reason: nil)
        #expect(undo.fromVersion == 2 && undo.toVersion == 3)
        #expect(second.live.snapshot.table.drained.isEmpty)
    }

    @Test func finding06_anAuthorityThatOnlyServesPicksUpTheOthersChangeWhenItChecks() async throws {
        let (first, second, dir) = try Self.pair()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try await second.catchUp() == false)
        try await first.apply(.setWeights(route: "chat", weights: Self.allToGPT4), expectedVersion: 1, actor: "alice", reason: nil)
        #expect(second.live.snapshot.table.version == 1)
        #expect(try await second.catchUp() == true)
        #expect(second.live.snapshot.table.version == 2)
        #expect(second.live.snapshot.table.route(named: "chat")?.shares == Self.allToGPT4)
        #expect(await second.current.table.version == 2)
        #expect(try await second.catchUp() == false)
    }

    @Test func finding06_theWatchPicksUpTheOthersChangeWithoutAnyRequest() async throws {
        let (first, second, dir) = try Self.pair()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let watching = Task { await second.watchStore(every: .milliseconds(20)) }
        defer { watching.cancel() }
        try await first.apply(.drain(target: "gpt35"), expectedVersion: 1, actor: "alice", reason: nil)
        // Bounded wait for the watch's next look (a few dozen milliseconds; 10 s on a very busy machine).
        let deadline = ContinuousClock.now + .seconds(10)
        while second.live.snapshot.table.version != 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(second.live.snapshot.table.isDrained("gpt35"))
    }

    @Test func finding06_theWatchNamesAFailingStoreOnceAndItsRecoveryOnce() {
        var watch = RouteStoreWatch()
        let failure = StoreError(path: "/x/routes.sqlite", detail: "disk I/O error")
        #expect(watch.record(.success(false)) == .nothing)
        #expect(watch.record(.success(true)) == .nothing)
        #expect(watch.record(.failure(failure)) == .failing(failure))
        #expect(watch.record(.failure(failure)) == .nothing)
        #expect(watch.record(.success(false)) == .recovered)
        #expect(watch.record(.success(false)) == .nothing)
    }

    /// Issue 11: replicas sharing a store each see the spend cross a rule's
    /// threshold; the audit log records the firing once, not once per replica.
    /// (Fails without the store's rule state: both authorities wrote an entry.)
    @Test func aBudgetRuleFiringIsRecordedOnceForEveryProcessOnTheStore() async throws {
        let (first, second, dir) = try Self.pair()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        await first.updateBudget(percentSpent: ["azure_openai": RouteTableFixture.cost("96")])
        await second.updateBudget(percentSpent: ["azure_openai": RouteTableFixture.cost("96")])
        // Both route as the rule says, and both alert: each replica's own view holds.
        #expect(first.live.snapshot.compiled.activeRules.map(\.name) == ["openai_over_95"])
        #expect(second.live.snapshot.compiled.activeRules.map(\.name) == ["openai_over_95"])
        #expect(await second.alerts.count == 1)
        await first.updateBudget(percentSpent: ["azure_openai": RouteTableFixture.cost("10")])
        await second.updateBudget(percentSpent: ["azure_openai": RouteTableFixture.cost("10")])
        let actions = try await first.store.audit(limit: 10).map(\.action)
        #expect(actions == [.budgetRuleCleared, .budgetRuleFired, .seed])
    }
}
