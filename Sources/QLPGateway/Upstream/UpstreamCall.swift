import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import QLPCore
import QLPRouting

/// The request an adapter sends for a target: Azure OpenAI's deployment URL
/// with its api-version and `api-key`, or Ollama's OpenAI-compatible /v1 API
/// with the body's `model` replaced by the Ollama model name.
enum UpstreamCall {
    /// - Parameter bearer: with Entra ID, the token for Azure OpenAI, sent in place of the key.
    static func request(
        for client: ClientRequest, to target: RouteTarget, settings: UpstreamSettings,
        bearer: Secret? = nil
    ) -> HTTPClientRequest {
        var request: HTTPClientRequest
        var body = client.body
        let endpoint = settings.liveEndpoint(of: target)
        switch target.backend {
        case .azureOpenAI:
            let url =
                "\(endpoint)/openai/deployments/\(target.upstreamModel)/\(client.operation.rawValue)"
                + "?api-version=\(settings.azureAPIVersion)"
            request = HTTPClientRequest(url: url)
            if settings.azureBearer != nil {
                if let bearer { request.headers.add(name: "authorization", value: "Bearer \(bearer.reveal())") }
            } else if let key = settings.azureAPIKey {
                request.headers.add(name: "api-key", value: key.reveal())
            }
            request.headers.add(name: "x-ms-client-request-id", value: UUID().uuidString.lowercased())
        case .ollama:
            request = HTTPClientRequest(url: "\(endpoint)/v1/\(client.operation.rawValue)")
            body = rewritingModel(body, to: target.upstreamModel)
        }
        request.method = .POST
        request.headers.add(name: "user-agent", value: QLPVersion.userAgent)
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "accept", value: client.stream ? "text/event-stream" : "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        return request
    }

    /// Replaces the top-level `model` in place when it is written plainly (the
    /// usual case, no re-encoding); otherwise decodes and re-encodes the body.
    static func rewritingModel(_ body: [UInt8], to model: String) -> [UInt8] {
        if let rewritten = JSONBytes.replacingTopLevelModel(in: body, with: model) { return rewritten }
        guard var object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return body }
        object["model"] = model
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return body }
        return Array(data)
    }
}
