import Foundation
import QLPCore
import QLPHTTP
import QLPRouting
import QLPStore
import Testing

@testable import QLPGateway

/// POST /admin/changes: several changes as ONE version with one audit entry.
@Suite("Admin API: batches", .serialized)
struct AdminBatchTests {
    static let draft = #"""
        {"version":1,"reason":"shift to cheaper","changes":[
          {"op":"weights","route":"chat","weights":{"gpt4":20,"gpt35":60,"llama3":20}},
          {"op":"fallback","route":"chat","order":["llama3"]},
          {"op":"drain","target":"codellama"}]}
        """#

    @Test func aBatchIsOneVersionAndOneAuditEntryAndUndoTakesItAllBack() async throws {
        let admin = try await AdminHarness.start()
        do {
            let response = try await admin.send(.post, "/admin/changes", Self.draft)
            #expect(response.status == 200, "\(response.bodyText)")
            #expect(object(response)["version"] as? Int == 2)
            let entry = try #require(object(response)["entry"] as? [String: Any])
            #expect(entry["action"] as? String == "batch")
            #expect(entry["actor"] as? String == "admin/alice")
            #expect(entry["reason"] as? String == "shift to cheaper")
            #expect(
                entry["summary"] as? String
                    == "chat weights: gpt4 40→20, gpt35 40→60; chat fallback: gpt35, llama3 → llama3; drain codellama (out of code)")
            let table = admin.live.snapshot.table
            #expect(table.version == 2)
            #expect(table.route(named: "chat")?.shares.map(\.weight) == [20, 60, 20])
            #expect(table.route(named: "chat")?.fallback == ["llama3"])
            #expect(table.drained == ["codellama"])
            #expect(try await admin.store.audit(limit: 10).map(\.action) == [.batch, .seed])

            // One undo puts back the whole table before the batch, as a new version.
            let undo = try await admin.send(.post, "/admin/undo", #"{"version":2}"#)
            #expect(undo.status == 200, "\(undo.bodyText)")
            var before = RouteTableFixture.table()
            before.version = 3
            #expect(admin.live.snapshot.table == before)
        }
        await admin.stop()
    }

    @Test func aStaleBatchGets409AndChangesNothing() async throws {
        let admin = try await AdminHarness.start()
        do {
            #expect(try await admin.send(.post, "/admin/targets/codellama/drain", #"{"version":1}"#).status == 200)
            let stale = try await admin.send(.post, "/admin/changes", Self.draft)
            #expect(stale.status == 409)
            #expect(object(stale)["current_version"] as? Int == 2)
            #expect(admin.live.snapshot.table.route(named: "chat")?.shares.map(\.weight) == [40, 40, 20])
            let last = try #require(try await admin.store.audit(limit: 1).first)
            #expect(last.outcome == .rejected && last.action == .batch)
        }
        await admin.stop()
    }

    @Test func badBatchesNameTheFieldOrThePart() async throws {
        let admin = try await AdminHarness.start()
        do {
            func check(_ body: String, _ status: Int, _ words: String) async throws {
                let response = try await admin.send(.post, "/admin/changes", body)
                #expect(response.status == status, "\(body): \(response.bodyText)")
                let message = object(response)["error"] as? String ?? ""
                #expect(message.contains(words), "\(body): \(message)")
            }
            let drain = #"{"op":"drain","target":"codellama"}"#
            try await check(
                #"{"version":1,"changes":[\#(drain),\#(drain),{"op":"weights","route":"chat"}]}"#, 400,
                "missing field 'changes[2].weights'")
            try await check(
                #"{"version":1,"changes":[\#(drain),{"op":"weights","route":"chat","weights":{"gpt4":"x"}}]}"#, 400,
                "field 'changes[1].weights.gpt4' must be a whole number")
            try await check(
                #"{"version":1,"changes":[{"op":"reweigh","route":"chat"}]}"#, 400,
                "field 'changes[0].op' must be one of weights, fallback, policy, drain, undrain, suspend_rule, resume_rule")
            try await check(
                #"{"version":1,"changes":[{"op":"policy","route":"chat","policy":"fastest"}]}"#, 400,
                "field 'changes[0].policy' must be one of weighted, priority")
            try await check(#"{"version":1,"changes":[]}"#, 400, "field 'changes' needs at least one change")
            try await check(#"{"changes":[\#(drain)]}"#, 400, "missing field 'version'")
            try await check(
                #"{"version":1,"changes":[\#(drain),{"op":"weights","route":"chat","weights":{"gpt4":50,"gpt35":40}},{"op":"undrain","target":"codellama"}]}"#,
                422, "change 2 of 3: weights of route 'chat' sum to 90")
            try await check(
                #"{"version":1,"changes":[\#(drain),{"op":"suspend_rule","rule":"nope"}]}"#, 404,
                "change 2 of 2: no budget rule named 'nope'")
            #expect(admin.live.snapshot.table.version == 1)
            #expect(try await admin.store.audit(limit: 10).filter { $0.outcome == .applied }.count == 1)
        }
        await admin.stop()
    }

    /// The client encodes what the server decodes (one wire type): every op
    /// round-trips to the same table as the changes applied in-process.
    @Test func theClientSendsEveryOpAsOneBatch() async throws {
        let admin = try await AdminHarness.start()
        do {
            let client = AdminAPIClient(baseURL: admin.base, token: Secret(AdminHarness.token), actor: "alice", transport: admin.transport)
            let changes: [RouteChange] = [
                .setWeights(
                    route: "chat",
                    weights: [
                        .init(target: "gpt4", weight: 10), .init(target: "gpt35", weight: 70),
                        .init(target: "llama3", weight: 20),
                    ]),
                .setFallback(route: "chat", order: ["llama3", "gpt35"]),
                .setPolicy(route: "code", policy: .priority),
                .drain(target: "codellama"),
                .undrain(target: "codellama"),
                .suspendRule(name: "openai_over_95", suspended: true),
                .suspendRule(name: "openai_over_95", suspended: false),
                .suspendRule(name: "openai_over_95", suspended: true),
            ]
            let reply = try await client.apply(changes: changes, version: 1, reason: "all of it")
            #expect(reply.version == 2)
            #expect(reply.entry.action == .batch && reply.entry.actor == "admin/alice")
            var expected = try RouteTableFixture.table().applying(.batch(changes))
            expected.version = 2
            #expect(admin.live.snapshot.table == expected)

            // A single change goes as itself: recorded as that change, not as a batch.
            let single = try await client.apply(changes: [.drain(target: "gpt4")], version: 2, reason: nil)
            #expect(single.entry.action == .drain && single.entry.summary == "drain gpt4 (out of chat, code)")

            await #expect(
                throws: AdminAPIError.conflict(
                    currentVersion: 3, "the route table has changed since you read it (it is at version 3 now); read it again and retry")
            ) {
                _ = try await client.apply(changes: [.undrain(target: "gpt4")], version: 1, reason: nil)
            }
            // What the wire cannot carry is refused before anything is sent.
            for bad: [RouteChange] in [
                [], [.restore(to: RouteTableFixture.table())], [.drain(target: "gpt35"), .batch([.undrain(target: "gpt4")])],
            ] {
                do {
                    _ = try await client.apply(changes: bad, version: 3, reason: nil)
                    Issue.record("\(bad) was sent")
                } catch {
                    guard case .badRequest = error else {
                        Issue.record("\(error)")
                        continue
                    }
                }
            }
            #expect(admin.live.snapshot.table.version == 3)
        }
        await admin.stop()
    }
}
