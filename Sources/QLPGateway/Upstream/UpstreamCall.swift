import Foundation
import QLPCore
import QLPHTTP
import QLPRouting

/// The request an adapter sends for a target: Azure OpenAI's deployment URL
/// with its api-version and `api-key`, or Ollama's OpenAI-compatible /v1 API
/// with the body's `model` replaced by the Ollama model name.
enum UpstreamCall {
    /// - Parameter bearer: with Entra ID, the token for Azure OpenAI, sent in place of the key.
    static func request(
        for client: ClientRequest, to target: RouteTarget, settings: UpstreamSettings,
        bearer: Secret? = nil
    ) -> HTTPRequest {
        var headers = HTTPHeaders()
        var body = client.body
        let url: String
        let endpoint = settings.liveEndpoint(of: target)
        switch target.backend {
        case .azureOpenAI:
            url =
                "\(endpoint)/openai/deployments/\(target.upstreamModel)/\(client.operation.rawValue)"
                + "?api-version=\(settings.azureAPIVersion)"
            if settings.azureBearer != nil {
                if let bearer { headers.add(name: "authorization", value: "Bearer \(bearer.reveal())") }
            } else if let key = settings.azureAPIKey {
                headers.add(name: "api-key", value: key.reveal())
            }
            headers.add(name: "x-ms-client-request-id", value: UUID().uuidString.lowercased())
        case .ollama:
            url = "\(endpoint)/v1/\(client.operation.rawValue)"
            body = rewritingModel(body, to: target.upstreamModel)
        }
        headers.add(name: "user-agent", value: QLPVersion.userAgent)
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "accept", value: client.stream ? "text/event-stream" : "application/json")
        return HTTPRequest(method: .post, url: url, headers: headers, body: body)
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
