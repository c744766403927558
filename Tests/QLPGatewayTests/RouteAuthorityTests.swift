import Foundation
import QLPRouting
import QLPStore
import Testing

@testable import QLPGateway

private func openAuthority(_ table: RouteTable = RouteTableFixture.table()) throws -> (RouteAuthority, String) {
    let dir = RouteTableFixture.temporaryDirectory()
    let clock = Date(timeIntervalSince1970: 1_795_000_000)
    return (try RouteAuthority.open(databasePath: dir + "/routes.sqlite", configTable: table, clock: { clock }), dir)
}

private let allToGPT4: [Route.Share] = [
    .init(target: "gpt4", weight: 100), .init(target: "gpt35", weight: 0),
    .init(target: "llama3", weight: 0),
]

@Suite("Route authority")
struct RouteAuthorityTests {
    @Test func aChangeIsCommittedThenPublished() async throws {
        let (authority, dir) = try openAuthority()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(firstChoices(authority.live) == ["gpt4": 40, "gpt35": 40, "llama3": 20])
        let entry = try await authority.apply(
            .setWeights(route: "chat", weights: allToGPT4), expectedVersion: 1,
            actor: "alice", reason: "gpt4 only for the demo")
        #expect(entry.toVersion == 2 && entry.summary == "chat weights: gpt4 40→100, gpt35 40→0, llama3 20→0")
        #expect(try await authority.store.latest() == authority.live.snapshot.table)
        #expect(authority.live.snapshot.table.version == 2)
        #expect(firstChoices(authority.live) == ["gpt4": 100])
    }

    @Test func staleAndInvalidChangesAreRefusedAuditedAndChangeNothing() async throws {
        let (authority, dir) = try openAuthority()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await authority.apply(.drain(target: "gpt35"), expectedVersion: 1, actor: "alice", reason: nil)
        await #expect(throws: RouteChangeRejection.stale(current: 2)) {
            try await authority.apply(.setWeights(route: "chat", weights: allToGPT4), expectedVersion: 1, actor: "bob", reason: nil)
        }
        let badSum: [Route.Share] = [.init(target: "gpt4", weight: 50), .init(target: "gpt35", weight: 40)]
        do {
            try await authority.apply(.setWeights(route: "chat", weights: badSum), expectedVersion: 2, actor: "bob", reason: nil)
            Issue.record("weights summing to 90 were accepted")
        } catch {
            guard case .invalid(let reason) = error else {
                Issue.record("expected invalid, got \(error)")
                return
            }
            #expect(reason.description.contains("sum to 90"))
        }
        #expect(authority.live.snapshot.table.version == 2)
        #expect(try await authority.store.latest()?.version == 2)
        let log = try await authority.store.audit(limit: 10)
        #expect(log.map(\.outcome) == [.rejected, .rejected, .applied, .applied])
        #expect(log[1].rejection == "stale: made against version 1, the table is at version 2")
        #expect(log[0].rejection?.contains("sum to 90") == true)
        #expect(log[0].toVersion == nil && log[0].fromVersion == 2)
    }

    @Test func undoPutsBackTheTableBeforeTheLastChangeAsANewVersion() async throws {
        let (authority, dir) = try openAuthority()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        await #expect(throws: RouteChangeRejection.nothingToUndo) {
            try await authority.undo(actor: "alice", reason: nil)
        }
        let seeded = authority.live.snapshot.table
        let change = try await authority.apply(
            .setWeights(route: "chat", weights: allToGPT4), expectedVersion: nil,
            actor: "alice", reason: nil)
        let undo = try await authority.undo(actor: "bob", reason: "too much gpt4", expectedVersion: 2)
        #expect(undo.toVersion == 3 && undo.action == .undo)
        #expect(undo.summary.hasPrefix("undo of #\(change.id) "))
        var expected = seeded
        expected.version = 3
        #expect(authority.live.snapshot.table == expected)
        #expect(firstChoices(authority.live) == ["gpt4": 40, "gpt35": 40, "llama3": 20])
        // Undoing the undo re-applies the change.
        try await authority.undo(actor: "bob", reason: nil)
        #expect(firstChoices(authority.live) == ["gpt4": 100])
    }

    @Test func aBudgetRuleFiresAlertsAuditsAndAnOperatorCanSuspendIt() async throws {
        let (authority, dir) = try openAuthority()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        await authority.updateBudget(percentSpent: ["azure_openai": RouteTableFixture.cost("80")])
        #expect(await authority.alerts.isEmpty)

        await authority.updateBudget(percentSpent: ["azure_openai": RouteTableFixture.cost("96.24")])
        let fired = "openai_over_95 fired: azure_openai at 96.2% ≥ 95%; chat -> llama3 except gpt4"
        #expect(await authority.alerts.map(\.text) == [fired])
        #expect(await authority.alerts.first?.severity == .warning)
        #expect(authority.live.snapshot.compiled.activeRules.map(\.name) == ["openai_over_95"])
        #expect(firstChoices(authority.live) == ["llama3": 100])
        var entry = try #require(try await authority.store.audit(limit: 1).first)
        #expect(entry.actor == "budget-rule" && entry.action == .budgetRuleFired && entry.outcome == .automatic)
        #expect(entry.summary == fired && entry.toVersion == nil)
        // The same figures again change nothing.
        await authority.updateBudget(percentSpent: ["azure_openai": RouteTableFixture.cost("97")])
        #expect(await authority.alerts.count == 1)

        // An operator overrides it: the suspension is a change, and the rule clears.
        try await authority.apply(
            .suspendRule(name: "openai_over_95", suspended: true), expectedVersion: 1,
            actor: "alice", reason: "month end, gpt4 budget agreed")
        #expect(authority.live.snapshot.compiled.activeRules.isEmpty)
        #expect(firstChoices(authority.live) == ["gpt4": 40, "gpt35": 40, "llama3": 20])
        #expect(await authority.alerts.last?.text == "openai_over_95 cleared: suspended by an operator; chat back to its own policy")
        entry = try #require(try await authority.store.audit(limit: 1).first)
        #expect(entry.action == .budgetRuleCleared)

        try await authority.apply(
            .suspendRule(name: "openai_over_95", suspended: false), expectedVersion: 2,
            actor: "alice", reason: nil)
        #expect(authority.live.snapshot.compiled.activeRules.count == 1)
        await authority.updateBudget(percentSpent: ["azure_openai": RouteTableFixture.cost("12.5")])
        #expect(await authority.alerts.last?.text == "openai_over_95 cleared: azure_openai at 12.5% < 95%; chat back to its own policy")
        #expect(await authority.alerts.count == 4)
        #expect(
            try await authority.store.audit(limit: 100).map(\.action) == [
                .budgetRuleCleared, .budgetRuleFired, .resumeRule, .budgetRuleCleared, .suspendRule, .budgetRuleFired, .seed,
            ])
    }

    /// A restart reads the last committed table back, not the config's.
    @Test func reopeningKeepsTheLastCommittedTable() async throws {
        let dir = RouteTableFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/routes.sqlite"
        let first = try RouteAuthority.open(databasePath: path, configTable: RouteTableFixture.table())
        try await first.apply(.setWeights(route: "chat", weights: allToGPT4), expectedVersion: 1, actor: "alice", reason: nil)
        let second = try RouteAuthority.open(databasePath: path, configTable: RouteTableFixture.table())
        #expect(second.live.snapshot.table.version == 2)
        #expect(firstChoices(second.live) == ["gpt4": 100])
    }
}
