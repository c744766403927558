import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// Routes each client request: the OpenAI-compatible endpoints (client key
/// required when configured), /metrics and /healthz.
struct GatewayResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let gateway: Gateway

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let started = MonotonicClock.now
        var path = Substring(request.uri.path)
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        switch (request.method, path) {
        case (.post, "/v1/chat/completions"):
            return await proxy(request, operation: .chatCompletions, started: started)
        case (.post, "/v1/embeddings"):
            return await proxy(request, operation: .embeddings, started: started)
        case (.get, "/v1/models"):
            guard gateway.keys.admits(authorization: request.headers[.authorization]) else { return Self.error(Self.unauthorized) }
            return ModelList.response(for: gateway.routes.snapshot.table)
        case (.get, "/metrics"):
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: gateway.metrics.exposition(health: gateway.health))))
        case (.get, "/healthz"):
            return Self.json("{\"status\":\"ok\",\"routes_version\":\(gateway.routes.snapshot.table.version)}", status: .ok)
        case (_, "/v1/chat/completions"), (_, "/v1/embeddings"), (_, "/v1/models"), (_, "/metrics"), (_, "/healthz"):
            return Self.error(.invalidRequest("Method \(request.method) is not allowed on \(path).", code: "method_not_allowed",
                                              status: .methodNotAllowed))
        default:
            return Self.error(.invalidRequest("Unknown path \(path). The gateway serves POST /v1/chat/completions, "
                                              + "POST /v1/embeddings and GET /v1/models.", code: "unknown_url", status: .notFound))
        }
    }

    private func proxy(_ request: Request, operation: ClientRequest.Operation, started: Double) async -> Response {
        guard gateway.keys.admits(authorization: request.headers[.authorization]) else { return Self.error(Self.unauthorized) }
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
            client = try ClientRequest(operation: operation, body: Array(buffer: body))
        } catch {
            return Self.error(error)
        }
        return await RequestForwarder(gateway: gateway, started: started).forward(client)
    }

    static let unauthorized = OpenAIErrorBody(
        status: .unauthorized, message: "Incorrect or missing API key. Send it as 'Authorization: Bearer <key>'.",
        type: "invalid_request_error", code: "invalid_api_key")

    static func tooLarge(_ limit: Int) -> OpenAIErrorBody {
        .invalidRequest("The request body is larger than the gateway's limit of \(limit) bytes.", code: "request_too_large",
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
