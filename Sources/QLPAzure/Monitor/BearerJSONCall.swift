import Foundation
import QLPCore
import QLPHTTP

/// One authenticated JSON call to an Azure API, with the status handling of
/// `CostManagementClient`: 200 decodes, 429 is `.throttled` with the longest
/// Retry-After, 401 forgets the token and is `.http`, anything else is
/// `.http` with the error code and message Azure sent, and a 200 that does
/// not decode is `.malformedResponse` naming what was wrong.
///
/// Shared by the Monitor, Application Insights, Log Analytics and Key Vault
/// clients; each has its own token scope (the cache keeps one token per scope).
struct BearerJSONCall: Sendable {
    var transport: any HTTPTransport
    var tokens: TokenCache
    var scope: String
    var service: String
    var timeout: Duration
    /// Whether a malformed 200 may be quoted in the error. Never for Key
    /// Vault: its 200 body is the secret.
    var quoteSuccessBodies = true

    func get<T: Decodable>(_ type: T.Type, url: String) async throws(AzureError) -> T {
        try await send(type, method: .get, url: url, body: [])
    }

    func post<T: Decodable>(_ type: T.Type, url: String, json body: [UInt8]) async throws(AzureError) -> T {
        try await send(type, method: .post, url: url, body: body)
    }

    private func send<T: Decodable>(_ type: T.Type, method: HTTPMethod, url: String, body: [UInt8]) async throws(AzureError) -> T {
        let token = try await tokens.token(for: scope)
        var headers: HTTPHeaders = ["Authorization": "Bearer \(token.token.reveal())", "Accept": "application/json"]
        if method == .post { headers.add(name: "Content-Type", value: "application/json") }
        let request = HTTPRequest(method: method, url: url, headers: headers, body: body, timeout: timeout)
        let response = try await transport.send(request, for: service)
        let endpoint = request.endpoint
        switch response.status {
        case 200:
            if let problem = ContentTypeCheck.problem(response.headers) {
                throw .malformedResponse(
                    service: service, endpoint: endpoint, status: 200, detail: problem,
                    excerpt: quoteSuccessBodies ? AzureError.excerpt(response.body) : "")
            }
            do {
                return try JSONDecoder().decode(T.self, from: response.body)
            } catch {
                throw .malformedResponse(
                    service: service, endpoint: endpoint, status: 200, detail: DecodingProblem.describe(error),
                    excerpt: quoteSuccessBodies ? AzureError.excerpt(response.body) : "")
            }
        case 429:
            throw .throttled(service: service, endpoint: endpoint, retryAfter: RetryAfter.wait(from: response.headers) ?? .seconds(60))
        case 401:
            await tokens.invalidate(scope: scope)
            fallthrough
        default:
            let detail = AzureErrorBody.decode(response.body)
            throw .http(
                service: service, endpoint: endpoint, status: response.status, code: detail?.code,
                message: detail?.message ?? (response.body.isEmpty ? nil : AzureError.excerpt(response.body)),
                requestID: AzureRequestTrace.requestID(of: response))
        }
    }

    /// "name=value&..." with every value percent-encoded (Azure decodes them).
    static func query(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in value.map { "\(name)=\(FormEncoding.escape($0))" } }.joined(separator: "&")
    }

    /// A resource ID or other path, each segment percent-encoded, without a leading slash.
    static func path(_ raw: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~!$&'()*+,;=:@")
        return raw.split(separator: "/").map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? String($0) }
            .joined(separator: "/")
    }

    static func trimmed(_ base: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }
}

/// The error bodies of the APIs beyond ARM proper: ARM's {"error": {"code",
/// "message"}}, Monitor metrics' top-level {"code", "message"}, and the data
/// planes' {"error": {"message", "code", "innererror": {...}}} whose innermost
/// message says what was actually wrong with a query.
struct AzureErrorBody: Decodable {
    struct Inner: Decodable {
        var code: String?
        var message: String?
        var innererror: Box?
        var innerError: Box?
        var innerErrorSnakeCase: Box?

        // The data planes spell it three ways.
        enum CodingKeys: String, CodingKey {
            case code
            case message
            case innererror
            case innerError
            case innerErrorSnakeCase = "inner_error"
        }

        var deepest: Inner? {
            guard let next = (innererror ?? innerError ?? innerErrorSnakeCase)?.value else { return nil }
            return next.deepest ?? next
        }
    }

    /// Breaks the recursion of Inner inside Inner.
    final class Box: Decodable {
        let value: Inner
        init(from decoder: any Decoder) throws { value = try Inner(from: decoder) }
    }

    var error: Inner?
    var code: String?
    var message: String?

    static func decode(_ body: [UInt8]) -> (code: String?, message: String?)? {
        guard let parsed = try? JSONDecoder().decode(AzureErrorBody.self, from: body) else { return nil }
        if let error = parsed.error, error.code != nil || error.message != nil {
            var message = error.message
            if let deepest = error.deepest?.message, deepest != message {
                message = message.map { "\($0): \(deepest)" } ?? deepest
            }
            return (error.code, message)
        }
        guard parsed.code != nil || parsed.message != nil else { return nil }
        return (parsed.code, parsed.message)
    }
}
