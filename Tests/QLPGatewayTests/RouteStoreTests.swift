import Foundation
import QLPRouting
import Testing

@testable import QLPStore

private func weights(_ table: RouteTable?, _ route: String) -> [String: Int] {
    Dictionary(uniqueKeysWithValues: (table?.route(named: route)?.shares ?? []).map { ($0.target, $0.weight) })
}

private func withChat(_ table: RouteTable, _ chat: [(String, Int)]) -> RouteTable {
    var next = table
    next.version += 1
    next.routes[0].shares = chat.map { Route.Share(target: $0.0, weight: $0.1) }
    return next
}

@Suite("Route store (SQLite)")
struct RouteStoreTests {
    @Test func aCommittedTableComesBackWhole() throws {
        let dir = RouteTableFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteRouteStore(path: dir + "/routes.sqlite")
        #expect(try store.latest() == nil)
        let first = try store.seedIfEmpty(from: RouteTableFixture.table(version: 7), configDigest: "d1")
        #expect(first.version == 1)
        let second = withChat(first, [("gpt4", 20), ("gpt35", 60), ("llama3", 20)])
        let entry = try store.commit(
            table: second,
            audit: RouteAuditDraft(
                actor: "alice", action: .setWeights, summary: "chat weights: gpt4 40→20, gpt35 40→60", reason: "cheaper"))
        #expect(entry.fromVersion == 1 && entry.toVersion == 2 && entry.outcome == .applied)
        // Costs are decimals and must come back exact.
        #expect(try store.latest() == second)
        #expect(try store.table(version: 1) == first)
        let log = try store.audit(limit: 10)
        #expect(log.map(\.actor) == ["alice", "config"])
        #expect(log.map(\.action) == [.setWeights, .seed])
        #expect(log[0].reason == "cheaper" && log[0].id > log[1].id)
        #expect(try store.lastApplied() == entry)
    }

    /// A change is acknowledged only once it would survive a power cut: WAL with synchronous=FULL.
    @Test func writesAreDurableBeforeTheyReturn() throws {
        let dir = RouteTableFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteRouteStore(path: dir + "/routes.sqlite")
        let settings = try store.durabilitySettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2)
    }

    @Test func aVersionThatDoesNotFollowTheStoredOneIsRefusedAndLeavesNoTrace() throws {
        let dir = RouteTableFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteRouteStore(path: dir + "/routes.sqlite")
        let first = try store.seedIfEmpty(from: RouteTableFixture.table(), configDigest: "d1")
        var skipping = withChat(first, [("gpt4", 100)])
        skipping.version = 3
        #expect(throws: StoreError.self) {
            try store.commit(table: skipping, audit: RouteAuditDraft(actor: "bob", action: .setWeights, summary: "x"))
        }
        #expect(try store.latest() == first)
        #expect(try store.audit(limit: 10).count == 1)
    }

    @Test func aRejectionIsLoggedAgainstTheCurrentVersionWithoutOne() throws {
        let dir = RouteTableFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteRouteStore(path: dir + "/routes.sqlite")
        _ = try store.seedIfEmpty(from: RouteTableFixture.table(), configDigest: "d1")
        let entry = try store.recordRejected(
            audit: RouteAuditDraft(
                actor: "bob", action: .drain, summary: "drain gpt4", rejection: "stale: expected version 0, current 1"))
        #expect(entry.outcome == .rejected && entry.fromVersion == 1 && entry.toVersion == nil)
        #expect(try store.audit(limit: 1) == [entry])
        #expect(try store.latest()?.version == 1)
        #expect(try store.lastApplied()?.action == .seed)
    }

    /// A restart with the same config keeps the live changes; the table is read back from disk.
    @Test func aRestartWithAnUnchangedConfigKeepsLiveChanges() throws {
        let dir = RouteTableFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = RouteTableFixture.table()
        var live: RouteTable
        do {
            let store = try SQLiteRouteStore(path: dir + "/routes.sqlite")
            live = withChat(try store.seedIfEmpty(from: config, configDigest: "d1"), [("gpt4", 10), ("gpt35", 70), ("llama3", 20)])
            try store.commit(table: live, audit: RouteAuditDraft(actor: "alice", action: .setWeights, summary: "s"))
        }
        let reopened = try SQLiteRouteStore(path: dir + "/routes.sqlite")
        #expect(try reopened.seedIfEmpty(from: config, configDigest: "d1") == live)
        #expect(try reopened.audit(limit: 10).count == 2)
    }

    /// An edited config file: what the edit touched wins, what was changed live and not in the file stays.
    @Test func anEditedConfigIsAppliedOnTopOfLiveChangesAsAnAuditedChange() throws {
        let dir = RouteTableFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteRouteStore(path: dir + "/routes.sqlite")
        let config = RouteTableFixture.table()
        var live = withChat(try store.seedIfEmpty(from: config, configDigest: "d1"), [("gpt4", 10), ("gpt35", 70), ("llama3", 20)])
        live.drained = ["codellama"]
        try store.commit(table: live, audit: RouteAuditDraft(actor: "alice", action: .setWeights, summary: "s"))

        // The file now splits code 50/50 and adds a target; chat is as it was in the file.
        var edited = config
        edited.routes[1].shares = [.init(target: "gpt4", weight: 50), .init(target: "codellama", weight: 50)]
        edited.targets.append(
            RouteTarget(
                name: "mistral", backend: .ollama, endpoint: "http://127.0.0.1:11434",
                upstreamModel: "mistral:7b", inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 8192))
        let merged = try store.seedIfEmpty(from: edited, configDigest: "d2")
        #expect(merged.version == 3)
        #expect(weights(merged, "chat") == ["gpt4": 10, "gpt35": 70, "llama3": 20])
        #expect(weights(merged, "code") == ["gpt4": 50, "codellama": 50])
        #expect(merged.target(named: "mistral") != nil)
        #expect(merged.drained == ["codellama"])
        let entry = try #require(try store.audit(limit: 1).first)
        #expect(entry.actor == "config" && entry.action == .configEdit && entry.fromVersion == 2 && entry.toVersion == 3)
        #expect(entry.summary.contains("targets +mistral"))
        #expect(entry.summary.contains("code weights gpt4 30→50, codellama 70→50"))
        #expect(!entry.summary.contains("chat"))
        // Started again with the same edited file: nothing more to apply.
        #expect(try store.seedIfEmpty(from: edited, configDigest: "d2") == merged)
        #expect(try store.audit(limit: 10).count == 3)
    }

    /// The file changes a route the operator also changed: the file's edit wins for that field.
    @Test func anEditOfTheSameFieldTakesTheFilesValue() throws {
        let dir = RouteTableFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteRouteStore(path: dir + "/routes.sqlite")
        let config = RouteTableFixture.table()
        let live = withChat(try store.seedIfEmpty(from: config, configDigest: "d1"), [("gpt4", 10), ("gpt35", 70), ("llama3", 20)])
        try store.commit(table: live, audit: RouteAuditDraft(actor: "alice", action: .setWeights, summary: "s"))
        let edited = RouteTableFixture.table(chat: [("gpt4", 0), ("gpt35", 50), ("llama3", 50)])
        let merged = try store.seedIfEmpty(from: edited, configDigest: "d2")
        #expect(weights(merged, "chat") == ["gpt4": 0, "gpt35": 50, "llama3": 50])
        #expect(try store.audit(limit: 1).first?.summary == "config file edited: chat weights gpt4 10→0, gpt35 70→50, llama3 20→50")
    }

    /// The file makes a priority route weighted while its live weights (fine for priority) do not sum to 100.
    @Test func aMergeThatWouldBreakARouteTakesTheFilesRoute() throws {
        let dir = RouteTableFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteRouteStore(path: dir + "/routes.sqlite")
        var config = RouteTableFixture.table()
        config.routes[1].policy = .priority
        var live = try store.seedIfEmpty(from: config, configDigest: "d1")
        live.version += 1
        live.routes[1].shares = [.init(target: "codellama", weight: 100), .init(target: "gpt4", weight: 100)]
        try store.commit(table: live, audit: RouteAuditDraft(actor: "alice", action: .setWeights, summary: "s"))
        var edited = config
        edited.routes[1].policy = .weighted
        let merged = try store.seedIfEmpty(from: edited, configDigest: "d2")
        #expect(merged.route(named: "code") == edited.routes[1])
        #expect(merged.route(named: "chat") == live.routes[0])
    }

    /// Acceptance 5 at store level: commits from several writers, then a reopen.
    /// The versions in the log are contiguous and each applied entry moves one version on.
    @Test func concurrentCommitsLeaveAContiguousLog() async throws {
        let dir = RouteTableFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/routes.sqlite"
        let store = try SQLiteRouteStore(path: path)
        let first = try store.seedIfEmpty(from: RouteTableFixture.table(), configDigest: "d1")
        // Four writers race; each reads the latest and commits the next version, as the authority would
        // were it not serialising them. Losers of a race get a StoreError and retry.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    var done = 0
                    while done < 25 {
                        let current = try store.latest() ?? first
                        let next = withChat(current, [("gpt4", writer), ("gpt35", 100 - writer - done), ("llama3", done)])
                        do {
                            try store.commit(table: next, audit: RouteAuditDraft(actor: "w\(writer)", action: .setWeights, summary: "s"))
                            done += 1
                        } catch {
                            continue
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let reopened = try SQLiteRouteStore(path: path)
        #expect(try reopened.latest()?.version == 101)
        let applied = try reopened.audit(limit: 1000).filter { $0.outcome == .applied }.reversed()
        #expect(applied.map(\.toVersion) == (1...101).map { $0 })
        #expect(applied.allSatisfy { $0.toVersion == $0.fromVersion + 1 })
    }
}
