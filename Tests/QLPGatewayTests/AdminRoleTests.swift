import Foundation
import QLPCore
import QLPHTTP
import QLPRouting
import QLPStore
import Testing

@testable import QLPGateway

/// Two tokens: admin (read and change) and viewer (read only), enforced by
/// the server; the audit's actor starts with the token's name.
@Suite("Admin API: roles", .serialized)
struct AdminRoleTests {
    static let viewer = AdminHarness.viewerToken

    @Test func theViewerReadsButEveryChangeIsRefusedWith403() async throws {
        let admin = try await AdminHarness.start(viewerToken: Self.viewer)
        do {
            for path in ["/admin/routes", "/admin/audit?limit=5", "/admin/alerts", "/admin/whoami"] {
                let read = try await admin.send(.get, path, token: Self.viewer)
                #expect(read.status == 200, "\(path): \(read.bodyText)")
            }
            let changes: [(HTTPMethod, String, String?)] = [
                (.put, "/admin/routes/chat/weights", #"{"version":1,"weights":{"gpt4":20,"gpt35":60,"llama3":20}}"#),
                (.put, "/admin/routes/chat/fallback", #"{"version":1,"order":["llama3"]}"#),
                (.put, "/admin/routes/chat/policy", #"{"version":1,"policy":"priority"}"#),
                (.post, "/admin/targets/gpt4/drain", #"{"version":1}"#),
                (.post, "/admin/rules/openai_over_95/suspend", #"{"version":1}"#),
                (.post, "/admin/changes", #"{"version":1,"changes":[{"op":"drain","target":"gpt4"}]}"#),
                (.post, "/admin/undo", nil),
            ]
            for (method, path, body) in changes {
                let refused = try await admin.send(method, path, body, token: Self.viewer)
                #expect(refused.status == 403, "\(path): \(refused.bodyText)")
                #expect(object(refused)["error"] as? String == "the token 'viewer' is read-only: changes need the admin token")
            }
            #expect(admin.live.snapshot.table.version == 1)
            // Refused before any endpoint ran: nothing applied, nothing attempted in the audit log.
            #expect(try await admin.store.audit(limit: 10).map(\.actor) == ["config"])
            #expect(!admin.log.text.contains(Self.viewer))

            // The admin token still changes routes.
            let change = try await admin.send(.post, "/admin/targets/gpt4/drain", #"{"version":1}"#)
            #expect(change.status == 200, "\(change.bodyText)")
        }
        await admin.stop()
    }

    @Test func theActorIsTheTokensNameThenTheHeader() async throws {
        let admin = try await AdminHarness.start(viewerToken: Self.viewer)
        do {
            var version = 1
            func drainAndUndrain(actor: String?) async throws -> [String] {
                var actors: [String] = []
                for op in ["drain", "undrain"] {
                    let response = try await admin.send(.post, "/admin/targets/gpt4/\(op)", #"{"version":\#(version)}"#, actor: actor)
                    #expect(response.status == 200, "\(response.bodyText)")
                    version += 1
                    actors.append((object(response)["entry"] as? [String: Any])?["actor"] as? String ?? "")
                }
                return actors
            }
            #expect(try await drainAndUndrain(actor: "alice") == ["admin/alice", "admin/alice"])
            // Naming another token in the header does not make the change that token's.
            #expect(try await drainAndUndrain(actor: "viewer") == ["admin/viewer", "admin/viewer"])
            #expect(try await drainAndUndrain(actor: "admin") == ["admin", "admin"])
            #expect(try await drainAndUndrain(actor: nil) == ["admin", "admin"])
            #expect(try await drainAndUndrain(actor: "  ") == ["admin", "admin"])
        }
        await admin.stop()
    }

    @Test func whoamiSaysTheTokensNameAndRole() async throws {
        let admin = try await AdminHarness.start(viewerToken: Self.viewer)
        do {
            let asViewer = try await admin.send(.get, "/admin/whoami", token: Self.viewer)
            #expect(asViewer.bodyText == #"{"name":"viewer","role":"viewer"}"#)
            let viewerClient = AdminAPIClient(baseURL: admin.base, token: Secret(Self.viewer), actor: "bob", transport: admin.transport)
            #expect(try await viewerClient.whoami() == AdminIdentityView(name: "viewer", role: .viewer))
            let adminClient = AdminAPIClient(
                baseURL: admin.base, token: Secret(AdminHarness.token), actor: "bob", transport: admin.transport)
            #expect(try await adminClient.whoami() == AdminIdentityView(name: "admin", role: .admin))
            #expect(try await admin.send(.get, "/admin/whoami", token: "neither").status == 401)

            // The client says what 403 means for the person holding the token.
            do {
                _ = try await viewerClient.drain(target: "gpt4", version: 1, reason: nil)
                Issue.record("the viewer drained a target")
            } catch {
                #expect(error == .forbidden("the token 'viewer' is read-only: changes need the admin token"))
                #expect(error.description.contains("read-only") && error.description.contains("QLP_ADMIN_TOKEN"))
                #expect(!error.description.contains(Self.viewer))
            }
        }
        await admin.stop()
    }

    /// Configured names are who the tokens are, for whoami and the audit log.
    @Test func configuredNamesAreUsedAndAViewerAloneOnlyReads() async throws {
        let admin = try await AdminHarness.start(token: nil, viewerToken: Self.viewer)
        do {
            #expect(try await admin.send(.get, "/admin/routes", token: Self.viewer).status == 200)
            #expect(try await admin.send(.post, "/admin/undo", token: Self.viewer).status == 403)
            #expect(try await admin.send(.get, "/admin/routes", token: AdminHarness.token).status == 401)
        }
        await admin.stop()
        let named = try await AdminHarness.start(viewerToken: Self.viewer, adminName: "ops", viewerName: "oncall")
        do {
            #expect(try await named.send(.get, "/admin/whoami", token: Self.viewer).bodyText == #"{"name":"oncall","role":"viewer"}"#)
            let refused = try await named.send(.post, "/admin/undo", token: Self.viewer)
            #expect(object(refused)["error"] as? String == "the token 'oncall' is read-only: changes need the admin token")
            let change = try await named.send(.post, "/admin/targets/gpt4/drain", #"{"version":1}"#, actor: "alice")
            #expect((object(change)["entry"] as? [String: Any])?["actor"] as? String == "ops/alice")
        }
        await named.stop()
    }
}
