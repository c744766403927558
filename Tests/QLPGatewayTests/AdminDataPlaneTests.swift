import Foundation
import QLPCore
import QLPHTTP
import QLPRouting
import Testing

@testable import QLPGateway

/// The admin API and the gateway in one server, as `qlp gateway` runs them:
/// a change through one is what the next request through the other gets.
@Suite("Admin API and the data plane", .serialized)
struct AdminDataPlaneTests {
    static let token = "adm-dataplane-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()

    /// Acceptance 3 through the gateway itself: requests split 50/50; a weight
    /// change sends the very next requests by the new weights, no restart; a
    /// stale change gets 409 and moves nothing.
    @Test func aWeightChangeReachesTheNextGatewayRequest() async throws {
        let upstream = StubUpstream { _, _ in .json(status: 200, body: StubUpstream.chat()) }
        let upstreamBase = try await upstream.start()
        let table = RouteTable(
            version: 1, targets: [ollamaTarget("a", upstreamBase), ollamaTarget("b", upstreamBase, model: "mistral:7b")],
            routes: [
                Route(
                    name: "chat", policy: .weighted,
                    shares: [.init(target: "a", weight: 50), .init(target: "b", weight: 50)], fallback: [])
            ])
        let dir = RouteTableFixture.temporaryDirectory()
        let authority = try RouteAuthority.open(databasePath: dir + "/routes.sqlite", configTable: table)
        let settings = GatewaySettings(adminToken: Secret(Self.token))
        let gateway = try Gateway(settings: settings, routes: authority.live, upstream: UpstreamSettings())
        let adminPort = AsyncStream<Int>.makeStream()
        let admin = AdminService(authority: authority, settings: settings, host: "127.0.0.1", port: 0) { port in
            adminPort.continuation.yield(port)
            adminPort.continuation.finish()
        }
        let server = GatewayServer(gateway: gateway, alongside: [admin])
        let base = try await server.start()
        var port = 0
        for await p in adminPort.stream { port = p }
        let client = CurlTransport()

        func targets(_ count: Int) async throws -> [String: Int] {
            var seen: [String: Int] = [:]
            for _ in 0..<count {
                let response = try await client.send(
                    HTTPRequest(
                        method: .post, url: base + "/v1/chat/completions", headers: HTTPHeaders([("content-type", "application/json")]),
                        body: Array(GatewayHarness.chatBody().utf8)))
                #expect(response.status == 200, "\(response.bodyText)")
                seen[response.headers["x-qlp-target"] ?? "none", default: 0] += 1
            }
            return seen
        }
        func change(_ body: String) async throws -> HTTPResponse {
            try await client.send(
                HTTPRequest(
                    method: .put, url: "http://127.0.0.1:\(port)/admin/routes/chat/weights",
                    headers: HTTPHeaders([("content-type", "application/json"), ("authorization", "Bearer \(Self.token)")]),
                    body: Array(body.utf8)))
        }

        #expect(try await targets(10) == ["a": 5, "b": 5])
        let applied = try await change(#"{"version":1,"weights":{"a":0,"b":100}}"#)
        #expect(applied.status == 200)
        #expect(try await targets(10) == ["b": 10])
        let stale = try await change(#"{"version":1,"weights":{"a":100,"b":0}}"#)
        #expect(stale.status == 409)
        #expect(try await targets(4) == ["b": 4])
        let log = try await authority.store.audit(limit: 10)
        #expect(log.map(\.outcome) == [.rejected, .applied, .applied])

        await server.stop()
        client.shutdown()
        await upstream.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }
}
