import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Routes each client request: the OpenAI-compatible endpoints (client key
/// required when configured), /metrics and /healthz.
struct GatewayResponder: HTTPResponder {
    typealias Context = GatewayRequestContext

    let gateway: Gateway
    /// Host names and browser origins this listener answers (DNS rebinding, web pages).
    let callers: HostAndOriginPolicy

    func respond(to request: Request, context: GatewayRequestContext) async throws -> Response {
        let response = try await answer(request, loop: context.eventLoop)
        if request.uri.path.hasPrefix("/v1/") {
            // Only a route in the table names the series (the header is the gateway's own; a client cannot set it).
            let route = response.headers[GatewayHeaders.route].flatMap { gateway.routes.snapshot.table.route(named: $0)?.name } ?? "none"
            gateway.metrics.recordClientAnswer(route: route, status: Int(response.status.code))
        }
        return response
    }

    private func answer(_ request: Request, loop: any EventLoop) async throws -> Response {
        let origin = request.headers[.origin]
        if let refusal = callers.check(
            authority: request.head.authority, extraHosts: request.headers[values: Self.hostField].count,
            origin: origin)
        {
            return Self.error(.invalidRequest(refusal.message, code: refusal.code, status: refusal.status))
        }
        var response = try await route(request, loop: loop)
        if let origin {
            // Only a listed origin gets here: let its page read the answer and the gateway's headers.
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = "x-qlp-route, x-qlp-target, x-qlp-attempts, x-qlp-overhead-ms, retry-after"
            response.headers[.vary] = "Origin"
        }
        return response
    }

    static let hostField = HTTPField.Name("host")!

    private func route(_ request: Request, loop: any EventLoop) async throws -> Response {
        let started = MonotonicClock.now
        var path = Substring(request.uri.path)
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        switch (request.method, path) {
        case (.post, "/v1/chat/completions"):
            return await proxy(request, operation: .chatCompletions, started: started, loop: loop)
        case (.post, "/v1/embeddings"):
            return await proxy(request, operation: .embeddings, started: started, loop: loop)
        case (.get, "/v1/models"):
            guard gateway.keys.identify(authorization: request.headers[.authorization], now: Date()) != nil else {
                return Self.error(Self.unauthorized)
            }
            return ModelList.response(for: gateway.routes.snapshot.table)
        case (.get, "/metrics"):
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(
                    byteBuffer: ByteBuffer(bytes: gateway.metrics.exposition(health: gateway.health, ledger: gateway.usageLedger))))
        case (.get, "/healthz"):
            return Self.json("{\"status\":\"ok\",\"routes_version\":\(gateway.routes.snapshot.table.version)}", status: .ok)
        case (.get, "/readyz"):
            let readiness = Readiness(
                version: gateway.routes.snapshot.table.version, store: gateway.storeStatus(),
                draining: gateway.drain.isDraining)
            return Self.json(readiness.json, status: HTTPResponse.Status(code: readiness.httpStatus))
        case (.options, "/v1/chat/completions"), (.options, "/v1/embeddings"), (.options, "/v1/models"):
            // A CORS preflight from a listed origin (any other was refused above), or a plain OPTIONS.
            var headers = HTTPFields()
            headers[.allow] = "GET, POST, OPTIONS"
            if request.headers[.origin] != nil {
                headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
                headers[.accessControlAllowHeaders] = "authorization, content-type"
                headers[.accessControlMaxAge] = "600"
            }
            return Response(status: .noContent, headers: headers)
        case (_, "/v1/chat/completions"), (_, "/v1/embeddings"), (_, "/v1/models"), (_, "/metrics"), (_, "/healthz"), (_, "/readyz"):
            return Self.error(
                .invalidRequest(
                    "Method \(request.method) is not allowed on \(path).", code: "method_not_allowed",
                    status: .methodNotAllowed))
        default:
            return Self.error(
                .invalidRequest(
                    "Unknown path \(path). The gateway serves POST /v1/chat/completions, "
                        + "POST /v1/embeddings and GET /v1/models.", code: "unknown_url", status: .notFound))
        }
    }

    private func proxy(
        _ request: Request, operation: ClientRequest.Operation, started: Double, loop: any EventLoop
    ) async -> Response {
        guard let caller = gateway.keys.identify(authorization: request.headers[.authorization], now: Date()) else {
            gateway.metrics.recordUnauthorized()
            return Self.error(Self.unauthorized)
        }
        // JSON only: an HTML form or a page's fetch() with text/plain is sent without a CORS preflight.
        if let refusal = Self.notJSON(request.headers[.contentType]) { return Self.error(refusal) }
        let limit = gateway.settings.maxRequestBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            return Self.error(Self.tooLarge(limit))
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            return Self.error(Self.tooLarge(limit))
        } catch {
            return Self.error(.invalidRequest("The request body could not be read: \(error)", code: "invalid_body"))
        }
        let client: ClientRequest
        do {
            client = try ClientRequest(operation: operation, body: Array(buffer: body), limits: ClientRequest.Limits(gateway.settings))
        } catch {
            return Self.error(error)
        }
        return await RequestForwarder(gateway: gateway, started: started, loop: loop).forward(client, caller: caller)
    }

    static let unauthorized = OpenAIErrorBody(
        status: .unauthorized,
        message: "Incorrect, missing, revoked or expired API key. Send a valid one as 'Authorization: Bearer <key>'.",
        type: "invalid_request_error", code: "invalid_api_key")

    /// 415 unless the media type is application/json (parameters such as charset allowed).
    static func notJSON(_ contentType: String?) -> OpenAIErrorBody? {
        // What nearly every client sends, decided without Foundation's trimming and case folding.
        if contentType == "application/json" { return nil }
        let mediaType = contentType?.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType != "application/json" else { return nil }
        let found = contentType.map { "'\(ClientText.printable($0))'" } ?? "none"
        return .invalidRequest(
            "The request's Content-Type must be application/json (found \(found)).",
            code: "unsupported_media_type", status: .unsupportedMediaType)
    }

    static func tooLarge(_ limit: Int) -> OpenAIErrorBody {
        .invalidRequest(
            "The request body is larger than the gateway's limit of \(limit) bytes.", code: "request_too_large",
            status: .contentTooLarge)
    }

    static func error(_ error: OpenAIErrorBody) -> Response {
        var response = json(error.json, status: error.status)
        response.headers.append(contentsOf: error.headers)
        return response
    }

    static func json(_ text: String, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
