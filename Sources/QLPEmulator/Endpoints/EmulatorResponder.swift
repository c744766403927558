import Foundation
import Hummingbird
import Logging
import Synchronization

/// Routes every request to its emulated endpoint, applying that endpoint's
/// faults first. Paths are matched case-insensitively, as Azure does.
struct EmulatorResponder: HTTPResponder {
    typealias Context = EmulatorRequestContext

    let configuration: EmulatorConfiguration
    let faults: FaultBoard
    let names: ReportedNames
    let tokens: IssuedTokens
    let state: EmulatorState
    let statistics: EmulatorStatistics
    let models: ModelActivity
    let logger: Logger

    func respond(to request: Request, context: EmulatorRequestContext) async throws -> Response {
        statistics.begin()
        defer { statistics.end() }
        let state = state
        var reply = try await reply(to: request)
        // As every Azure service does: the ID a client quotes to support.
        reply.headers.append(("x-ms-request-id", UUID().uuidString.lowercased()))
        if reply.ending == .reset {
            try await ConnectionAbort.reset(context.channel)
            throw ConnectionAbort.Reset()
        }
        return reply.response(stopping: { state.isStopping })
    }

    private func reply(to request: Request) async throws -> EmulatedResponse {
        let path = request.uri.path
        let segments = path.split(separator: "/").map(String.init)
        let body = try await request.body.collect(upTo: 16 << 20)
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let emulated = EmulatedRequest(
            method: request.method, segments: segments, lower: segments.map { $0.lowercased() },
            query: query, headers: headers, body: Array(buffer: body))

        if emulated.lower.first == "_emulator" {
            return AdminEndpoint(faults: faults, names: names, statistics: statistics)
                .respond(method: request.method, segments: Array(emulated.lower.dropFirst()), body: emulated.body)
        }
        statistics.count(userAgent: emulated.headers["user-agent"])
        let context = RouteContext(configuration: configuration, names: names, tokens: tokens, state: state, models: models)
        guard let route = EmulatorRoutes.all.first(where: { $0.matches(emulated) }) else {
            return EmulatorReply.armError(
                status: 404, code: "NotFound",
                message: "The emulator has no endpoint for \(request.method) \(path).")
        }
        statistics.count(route.endpoint, at: configuration.clock())
        let model = route.model(of: emulated, configuration: configuration)
        if let model { statistics.count(model: model) }
        let response = try await withFault(route, model: model, request: emulated) {
            if route.authentication == .bearer, let denied = authorize(emulated.headers["authorization"]) { return denied }
            return await route.respond(to: emulated, context: context)
        }
        statistics.answered(route.endpoint, status: response.status)
        return response
    }

    /// Checks the bearer token the way ARM does.
    private func authorize(_ authorization: String?) -> EmulatedResponse? {
        let header = authorization ?? ""
        guard header.hasPrefix("Bearer ") else {
            return EmulatorReply.armError(
                status: 401, code: "AuthenticationFailed",
                message: "Authentication failed. The 'Authorization' header is missing.")
        }
        switch tokens.check(String(header.dropFirst("Bearer ".count)), now: configuration.clock()) {
        case .valid: return nil
        case .expired:
            return EmulatorReply.armError(
                status: 401, code: "ExpiredAuthenticationToken",
                message: "The access token expiry UTC time is earlier than current UTC time.")
        case .unknown:
            return EmulatorReply.armError(
                status: 401, code: "InvalidAuthenticationToken",
                message: "The access token is invalid.")
        }
    }

    /// Applies the endpoint's fault around the real handler.
    private func withFault(
        _ route: any EmulatorRoute, model: String?, request: EmulatedRequest,
        _ handler: () async throws -> EmulatedResponse
    ) async throws -> EmulatedResponse {
        let endpoint = route.endpoint
        let fault = faults.take(endpoint, model: model)
        if fault.latencyMilliseconds > 0 { try await Task.sleep(for: .milliseconds(fault.latencyMilliseconds)) }
        if fault.hang {
            // Hold the request while the fault stays set (bounded, and released at shutdown).
            let deadline = ContinuousClock.now + .seconds(600)
            while faults.current(endpoint, model: model).hang, !state.isStopping, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        if fault.resetConnection { return .reset }
        let headers = fault.waitHeaders(for: endpoint)
        if let status = fault.status {
            logger.debug("emulator fault", metadata: ["endpoint": "\(endpoint.rawValue)", "status": "\(status)"])
            if let own = route.faultReply(status: status, headers: headers, request: request) { return own }
            switch (endpoint, status) {
            case (.costQuery, 429):
                // The body Cost Management really sends (cloudquery/cloudquery#9860).
                return EmulatorReply.json(
                    .object([
                        (
                            "error",
                            .object([
                                ("code", .string("429")),
                                ("message", .string("Too many requests. Please retry.")),
                            ])
                        )
                    ]),
                    status: 429, headers: headers)
            case (.token, _):
                var response = EmulatorReply.entraError(
                    error: "temporarily_unavailable", code: 50196,
                    description: "The server is temporarily unavailable (emulated fault).",
                    status: status)
                response.headers += headers
                return response
            default:
                let code = status >= 500 ? "InternalServerError" : "BadRequest"
                return EmulatorReply.armError(
                    status: status, code: code,
                    message: "Emulated fault: the endpoint answered \(status).", headers: headers)
            }
        }
        var response = try await handler()
        response.headers += headers
        if fault.wrongContentType {
            return EmulatorReply.text(
                "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Sign in to continue</body></html>",
                status: 200, contentType: "text/html; charset=utf-8", headers: headers)
        }
        if fault.malformedBody {
            // A body cut off mid-JSON, as a dropped connection or proxy leaves it.
            response.truncate()
        }
        if fault.truncatedBody { response.ending = .cutShort }
        return response
    }
}

/// Mutable facts about a running emulator that its handlers read.
final class EmulatorState: Sendable {
    private let values = Mutex<(baseURL: String, stopping: Bool, port: Int)>(("", false, 0))
    var baseURL: String {
        get { values.withLock { $0.baseURL } }
        set { values.withLock { $0.baseURL = newValue } }
    }
    var port: Int {
        get { values.withLock { $0.port } }
        set { values.withLock { $0.port = newValue } }
    }
    var isStopping: Bool {
        get { values.withLock { $0.stopping } }
        set { values.withLock { $0.stopping = newValue } }
    }
}
