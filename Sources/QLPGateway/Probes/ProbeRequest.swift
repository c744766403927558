import Foundation
import QLPCore
import QLPHTTP
import QLPRouting

/// The smallest request that measures a target: one token of a streamed
/// chat completion, or the embedding of one short word. Azure OpenAI gets its
/// deployment URL, api-version and `api-key`; Ollama its OpenAI-compatible /v1.
enum ProbeRequest {
    /// What the probe asks; short so that it costs next to nothing.
    static let prompt = "ping"

    /// How an Azure OpenAI probe proves itself: the resource's key, or an Entra ID token.
    enum Authorization {
        case apiKey(Secret?)
        case bearer(Secret?)
        case none
    }

    static func make(_ probe: ProbeTarget, apiVersion: String, apiKey: Secret?, timeout: Duration) -> HTTPRequest {
        make(probe, apiVersion: apiVersion, authorization: .apiKey(apiKey), timeout: timeout)
    }

    static func make(_ probe: ProbeTarget, apiVersion: String, authorization: Authorization, timeout: Duration) -> HTTPRequest {
        let target = probe.target
        var headers: HTTPHeaders = ["Content-Type": "application/json", "User-Agent": QLPVersion.userAgent]
        let url: String
        var fields: [(String, JSONText)] = []
        switch target.backend {
        case .azureOpenAI:
            let operation = probe.kind == .chat ? "chat/completions" : "embeddings"
            url = "\(target.endpoint)/openai/deployments/\(target.upstreamModel)/\(operation)?api-version=\(apiVersion)"
            switch authorization {
            case .apiKey(let key?): headers.add(name: "api-key", value: key.reveal())
            case .bearer(let token?): headers.add(name: "Authorization", value: "Bearer \(token.reveal())")
            case .apiKey(nil), .bearer(nil), .none: break
            }
            headers.add(name: "x-ms-client-request-id", value: UUID().uuidString.lowercased())
        case .ollama:
            url = "\(target.endpoint)/v1/\(probe.kind == .chat ? "chat/completions" : "embeddings")"
            fields.append(("model", .string(target.upstreamModel)))
        }
        switch probe.kind {
        case .chat:
            fields += [
                ("messages", .array([.object([("role", .string("user")), ("content", .string(prompt))])])),
                ("max_tokens", .number(1)), ("stream", .bool(true)),
                ("stream_options", .object([("include_usage", .bool(true))])),
            ]
        case .embeddings:
            fields.append(("input", .string(prompt)))
        }
        return HTTPRequest(
            method: .post, url: url, headers: headers, body: Array(JSONText.object(fields).rendered.utf8),
            timeout: timeout, connectTimeout: min(timeout, .seconds(5)), maxResponseBytes: 1 << 20)
    }

    /// Tokens the probe's prompt costs when the upstream does not say: about
    /// four characters a token plus the message's few tokens of overhead.
    static func estimatedPromptTokens(_ kind: ProbeTarget.Kind) -> Int {
        let text = (prompt.utf8.count + 3) / 4
        return kind == .chat ? 3 + 4 + text : text
    }
}
