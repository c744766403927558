import Foundation
import QLPCore
import QLPHTTP
import QLPRouting
import QLPStore
import Synchronization
import Testing

@testable import QLPGateway

/// `/readyz` says whether the route store answers; `/healthz` only that the
/// process does. A replica whose store is down keeps serving and says
/// "degraded" with the reason, still 200 (see ``Readiness`` for why).
@Suite("Readiness")
struct ReadinessTests {
    @Test func readinessNamesTheStoreAndSaysDegradedWhileItDoesNotAnswer() async throws {
        let upstream = StubUpstream { _, _ in .json(status: 200, body: StubUpstream.chat()) }
        let upstreamBase = try await upstream.start()
        let table = RouteTable(
            version: 7, targets: [ollamaTarget("a", upstreamBase)],
            routes: [Route(name: "chat", policy: .priority, shares: [.init(target: "a", weight: 100)], fallback: [])])
        let status = Mutex(RouteStoreStatus(kind: .redis, address: "127.0.0.1:6390", healthy: true))
        let gateway = try Gateway(
            settings: GatewaySettings(), routes: LiveRouteTable(table), upstream: UpstreamSettings(),
            storeStatus: { status.withLock { $0 } })
        let server = GatewayServer(gateway: gateway)
        let base = try await server.start()
        let client = CurlTransport()
        defer { client.shutdown() }

        func get(_ path: String) async throws -> (Int, [String: Any]) {
            let response = try await client.send(HTTPRequest(method: .get, url: base + path))
            let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
            return (response.status, object)
        }

        var (code, body) = try await get("/readyz")
        #expect(code == 200 && body["status"] as? String == "ready" && body["routes_version"] as? Int == 7)
        #expect((body["store"] as? [String: Any])?["address"] as? String == "127.0.0.1:6390")

        status.withLock {
            $0.healthy = false
            $0.detail = "cannot read the route table version: unreachable: connection refused"
        }
        (code, body) = try await get("/readyz")
        #expect(code == 200 && body["status"] as? String == "degraded")
        #expect(
            (body["store"] as? [String: Any])?["detail"] as? String
                == "cannot read the route table version: unreachable: connection refused")
        // Serving goes on: liveness and requests are untouched.
        (code, body) = try await get("/healthz")
        #expect(code == 200 && body["status"] as? String == "ok")
        let answer = try await client.send(
            HTTPRequest(
                method: .post, url: base + "/v1/chat/completions",
                headers: HTTPHeaders([("content-type", "application/json")]),
                body: Array(GatewayHarness.chatBody().utf8)))
        #expect(answer.status == 200)

        await server.stop()
        await upstream.stop()
    }
}
