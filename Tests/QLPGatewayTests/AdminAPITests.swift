import Foundation
import QLPHTTP
import QLPRouting
import QLPStore
import Testing

@testable import QLPGateway

private let weights20 = #"{"version":1,"weights":{"gpt4":20,"gpt35":60,"llama3":20},"reason":"cheaper"}"#

@Suite("Admin API", .serialized)
struct AdminAPITests {
    /// Acceptance 3: a weight change through the admin API applies to the next
    /// request without a restart; a stale version gets 409; the audit log shows both.
    @Test func aWeightChangeAppliesAtOnceAndAStaleOneGets409() async throws {
        let admin = try await AdminHarness.start()
        do {
            let read = try await admin.send(.get, "/admin/routes")
            #expect(read.status == 200)
            #expect(object(read)["version"] as? Int == 1)
            #expect((object(read)["table"] as? [String: Any])?["routes"] != nil)
            #expect(firstChoices(admin.live) == ["gpt4": 40, "gpt35": 40, "llama3": 20])

            let change = try await admin.send(.put, "/admin/routes/chat/weights", weights20)
            #expect(change.status == 200)
            #expect(object(change)["version"] as? Int == 2)
            let entry = try #require(object(change)["entry"] as? [String: Any])
            #expect(entry["summary"] as? String == "chat weights: gpt4 40→20, gpt35 40→60")
            #expect(entry["actor"] as? String == "admin/alice")
            // The very next plan follows the new weights.
            #expect(firstChoices(admin.live) == ["gpt4": 20, "gpt35": 60, "llama3": 20])

            // Bob read version 1 too and writes after Alice.
            let stale = try await admin.send(
                .put, "/admin/routes/chat/weights",
                #"{"version":1,"weights":{"gpt4":0,"gpt35":100,"llama3":0}}"#, actor: "bob")
            #expect(stale.status == 409)
            #expect(object(stale)["current_version"] as? Int == 2)
            #expect((object(stale)["error"] as? String)?.contains("version 2") == true)
            #expect(firstChoices(admin.live) == ["gpt4": 20, "gpt35": 60, "llama3": 20])

            let audit = try await admin.send(.get, "/admin/audit?limit=10")
            let entries = try #require(object(audit)["entries"] as? [[String: Any]])
            #expect(entries.map { $0["actor"] as? String } == ["admin/bob", "admin/alice", "config"])
            #expect(entries.map { $0["outcome"] as? String } == ["rejected", "applied", "applied"])
            #expect(entries[0]["rejection"] as? String == "stale: made against version 1, the table is at version 2")
            // Described against the version Bob saw, which is what he meant to change.
            #expect(entries[0]["summary"] as? String == "chat weights: gpt4 40→0, gpt35 40→100, llama3 20→0")
            #expect(entries[1]["reason"] as? String == "cheaper")
            #expect(entries[1]["toVersion"] as? Int == 2 && entries[1]["fromVersion"] as? Int == 1)
        }
        await admin.stop()
    }

    @Test func badRequestsNameTheProblem() async throws {
        let admin = try await AdminHarness.start()
        do {
            func check(_ method: HTTPMethod, _ path: String, _ body: String?, _ status: Int, _ words: String) async throws {
                let response = try await admin.send(method, path, body)
                #expect(response.status == status, "\(path) \(body ?? "")")
                let message = object(response)["error"] as? String ?? ""
                #expect(message.contains(words), "\(path): \(message)")
            }
            try await check(.put, "/admin/routes/chat/weights", "{not json", 400, "not valid JSON")
            try await check(.put, "/admin/routes/chat/weights", #"{"weights":{"gpt4":100}}"#, 400, "missing field 'version'")
            try await check(.put, "/admin/routes/chat/weights", #"{"version":1,"weights":{"gpt4":"all"}}"#, 400, "'weights.gpt4'")
            try await check(.put, "/admin/routes/chat/policy", #"{"version":1,"policy":"fastest"}"#, 400, "weighted, priority")
            try await check(.put, "/admin/routes/nope/weights", #"{"version":1,"weights":{"gpt4":100}}"#, 404, "no route named 'nope'")
            try await check(.post, "/admin/targets/nope/drain", #"{"version":1}"#, 404, "no target named 'nope'")
            try await check(.post, "/admin/rules/nope/suspend", #"{"version":1}"#, 404, "no budget rule named 'nope'")
            try await check(.put, "/admin/routes/chat/weights", #"{"version":1,"weights":{"gpt4":50,"gpt35":40}}"#, 422, "sum to 90")
            try await check(.post, "/admin/undo", nil, 422, "no change to undo")
            try await check(.get, "/admin/audit?limit=lots", nil, 400, "limit")
            #expect(admin.live.snapshot.table.version == 1)
        }
        await admin.stop()
    }

    @Test func everyKindOfChangeAndUndo() async throws {
        let admin = try await AdminHarness.start()
        do {
            var version = 1
            func apply(_ method: HTTPMethod, _ path: String, _ extra: String = "") async throws {
                let response = try await admin.send(method, path, #"{"version":\#(version)\#(extra)}"#)
                #expect(response.status == 200, "\(path): \(response.bodyText)")
                version += 1
                #expect(object(response)["version"] as? Int == version)
            }
            try await apply(.post, "/admin/targets/gpt4/drain")
            #expect(admin.live.snapshot.table.drained == ["gpt4"])
            #expect(firstChoices(admin.live)["gpt4"] == nil)
            try await apply(.put, "/admin/routes/chat/fallback", #","order":["llama3","gpt35"]"#)
            try await apply(.put, "/admin/routes/chat/policy", #","policy":"priority""#)
            try await apply(.post, "/admin/rules/openai_over_95/suspend")
            try await apply(.post, "/admin/rules/openai_over_95/resume")
            try await apply(.post, "/admin/targets/gpt4/undrain")
            try await apply(.post, "/admin/undo")
            #expect(admin.live.snapshot.table.drained == ["gpt4"])
            let routes = try await admin.send(.get, "/admin/routes")
            #expect(object(routes)["drained"] as? [String] == ["gpt4"])
            #expect(object(routes)["version"] as? Int == 8)
            let chat = ((object(routes)["table"] as? [String: Any])?["routes"] as? [[String: Any]])?.first
            #expect(chat?["policy"] as? String == "priority")
            #expect(chat?["fallback"] as? [String] == ["llama3", "gpt35"])

            await admin.authority.updateBudget(percentSpent: ["azure_openai": 99])
            let alerts = try await admin.send(.get, "/admin/alerts")
            let list = try #require(object(alerts)["alerts"] as? [[String: Any]])
            #expect(list.map { $0["text"] as? String } == ["openai_over_95 fired: azure_openai at 99% ≥ 95%; chat -> llama3 except gpt4"])
            #expect(object(try await admin.send(.get, "/admin/routes"))["activeRules"].map { ($0 as? [Any])?.count } == 1)
        }
        await admin.stop()
    }

    /// Acceptance 7: without the token a change gets 401 and nothing changes;
    /// the token never reaches the log.
    @Test func withoutTheTokenNothingChangesAndTheTokenIsNeverLogged() async throws {
        let admin = try await AdminHarness.start()
        do {
            let wrong = "not-" + AdminHarness.token
            for token in [nil, wrong, AdminHarness.token + "x", String(AdminHarness.token.dropLast()), ""] as [String?] {
                let response = try await admin.send(.put, "/admin/routes/chat/weights", weights20, token: token)
                #expect(response.status == 401)
                #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
                #expect(!response.bodyText.contains(AdminHarness.token))
                #expect(try await admin.send(.get, "/admin/routes", token: token).status == 401)
                #expect(try await admin.send(.post, "/admin/undo", token: token).status == 401)
            }
            // A basic-auth header carrying the token is not a bearer token.
            var headers = HTTPHeaders()
            headers.add(name: "Authorization", value: "Basic \(AdminHarness.token)")
            let basic = try await admin.transport.send(HTTPRequest(method: .get, url: admin.base + "/admin/routes", headers: headers))
            #expect(basic.status == 401)

            #expect(admin.live.snapshot.table.version == 1)
            #expect(try await admin.store.latest()?.version == 1)
            #expect(try await admin.store.audit(limit: 10).count == 1)

            // With it, the change goes through; then every line logged so far is checked.
            #expect(try await admin.send(.put, "/admin/routes/chat/weights", weights20).status == 200)
            #expect(admin.log.count > 0)
            #expect(admin.log.text.contains("route change applied"))
            #expect(!admin.log.text.contains(AdminHarness.token))
            #expect(!admin.log.text.contains(wrong))
        }
        await admin.stop()
    }

    @Test func withoutAConfiguredTokenEveryRequestIsRefusedWithTheFix() async throws {
        let admin = try await AdminHarness.start(token: nil)
        do {
            for token in [nil, AdminHarness.token] as [String?] {
                let response = try await admin.send(.put, "/admin/routes/chat/weights", weights20, token: token)
                #expect(response.status == 401)
                #expect((object(response)["error"] as? String)?.contains("gateway.admin_token") == true)
            }
            #expect(try await admin.send(.get, "/admin/audit", token: nil).status == 401)
            #expect(admin.live.snapshot.table.version == 1)
            #expect(try await admin.store.audit(limit: 10).count == 1)
            #expect(!admin.log.text.contains(AdminHarness.token))
        }
        await admin.stop()
    }
}
