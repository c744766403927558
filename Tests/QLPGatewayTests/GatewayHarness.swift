import Foundation
import QLPCore
import QLPHTTP
import QLPRouting
import QLPStore

@testable import QLPGateway

/// A gateway on a free loopback port in front of the given targets, and a
/// client to call it with.
struct GatewayHarness {
    let server: GatewayServer
    let base: String
    let transport: CurlTransport

    var gateway: Gateway { server.gateway }

    static func start(
        targets: [RouteTarget], routes: [Route], settings: GatewaySettings = GatewaySettings(),
        upstream: UpstreamSettings = UpstreamSettings(),
        traffic: RouteTrafficWindow = RouteTrafficWindow(), keys: KeyGate? = nil,
        usageLedger: UsageLedgerWriter? = nil
    ) async throws -> GatewayHarness {
        let table = RouteTable(version: 1, targets: targets, routes: routes)
        let gateway = try Gateway(
            settings: settings, routes: LiveRouteTable(table), upstream: upstream, traffic: traffic, keys: keys,
            usageLedger: usageLedger)
        let server = GatewayServer(gateway: gateway)
        let base = try await server.start()
        return GatewayHarness(server: server, base: base, transport: CurlTransport())
    }

    func stop() async {
        await server.stop()
        transport.shutdown()
    }

    func post(_ path: String, _ body: String, headers: [(String, String)] = []) async throws -> HTTPResponse {
        let all = HTTPHeaders([("content-type", "application/json")] + headers)
        return try await transport.send(
            HTTPRequest(
                method: .post, url: base + path, headers: all, body: Array(body.utf8),
                timeout: .seconds(30)))
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> HTTPResponse {
        let all = HTTPHeaders(headers)
        return try await transport.send(HTTPRequest(method: .get, url: base + path, headers: all, timeout: .seconds(30)))
    }

    static func chatBody(model: String = "chat", stream: Bool = false) -> String {
        "{\"model\":\"\(model)\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]\(stream ? ",\"stream\":true" : "")}"
    }
}

extension HTTPResponse {
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    var error: [String: Any] { json["error"] as? [String: Any] ?? [:] }
}

func ollamaTarget(_ name: String, _ endpoint: String, model: String = "llama3:8b", modelNames: [String] = []) -> RouteTarget {
    RouteTarget(
        name: name, backend: .ollama, endpoint: endpoint, upstreamModel: model, modelNames: modelNames,
        inputCostPer1K: 0, outputCostPer1K: 0, contextWindow: 8192)
}
