import Foundation
import QLPCore
import QLPHTTP
import QLPRouting
import QLPStore

/// A client of the admin API, for `qlp routes` (and anything else that
/// changes routes in a running gateway). The token is sent and never printed.
public struct AdminAPIClient: Sendable {
    /// "http://127.0.0.1:8089", without a trailing slash.
    public let baseURL: String
    private let token: Secret?
    private let actor: String
    private let transport: any HTTPTransport
    /// Longest wait for one answer: a dashboard polling several replicas waits less than a script.
    private let timeout: Duration

    public init(baseURL: String, token: Secret?, actor: String, transport: any HTTPTransport, timeout: Duration = .seconds(30)) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.token = token
        self.actor = actor
        self.transport = transport
        self.timeout = timeout
    }

    /// The admin listener of `settings` as a base URL (IPv6 in brackets; 0.0.0.0 reached on loopback).
    public static func baseURL(for settings: GatewaySettings) -> String {
        let host = ["0.0.0.0", "", "::"].contains(settings.adminHost) ? "127.0.0.1" : settings.adminHost
        return host.contains(":") ? "http://[\(host)]:\(settings.adminPort)" : "http://\(host):\(settings.adminPort)"
    }

    // MARK: - Calls

    public func routes() async throws(AdminAPIError) -> AdminRoutesView {
        try await call(.get, "/admin/routes", body: nil)
    }

    public func setWeights(route: String, weights: [String: Int], version: Int, reason: String?) async throws(AdminAPIError)
        -> AdminChangeView
    {
        try await call(
            .put, "/admin/routes/\(segment(route))/weights", body: WeightsRequest(version: version, weights: weights, reason: reason))
    }

    public func setFallback(route: String, order: [String], version: Int, reason: String?) async throws(AdminAPIError) -> AdminChangeView {
        try await call(
            .put, "/admin/routes/\(segment(route))/fallback", body: FallbackRequest(version: version, order: order, reason: reason))
    }

    public func setPolicy(route: String, policy: Route.Policy, version: Int, reason: String?) async throws(AdminAPIError) -> AdminChangeView
    {
        try await call(
            .put, "/admin/routes/\(segment(route))/policy",
            body: PolicyRequest(version: version, policy: policy.rawValue, reason: reason))
    }

    public func drain(target: String, version: Int, reason: String?) async throws(AdminAPIError) -> AdminChangeView {
        try await call(.post, "/admin/targets/\(segment(target))/drain", body: VersionRequest(version: version, reason: reason))
    }

    public func undrain(target: String, version: Int, reason: String?) async throws(AdminAPIError) -> AdminChangeView {
        try await call(.post, "/admin/targets/\(segment(target))/undrain", body: VersionRequest(version: version, reason: reason))
    }

    public func suspendRule(_ name: String, suspended: Bool, version: Int, reason: String?) async throws(AdminAPIError) -> AdminChangeView {
        try await call(
            .post, "/admin/rules/\(segment(name))/\(suspended ? "suspend" : "resume")",
            body: VersionRequest(version: version, reason: reason))
    }

    /// Applies `changes` in order as ONE new version with one audit entry
    /// (POST /admin/changes): all of them or, refused, none. An undo
    /// (`restore`) or a batch among them is refused here, before sending.
    public func apply(changes: [RouteChange], version: Int, reason: String?) async throws(AdminAPIError) -> AdminChangeView {
        do {
            try RouteChange.checkBatch(changes)
        } catch {
            throw .badRequest(error.message)
        }
        // checkBatch lets through only changes the wire has a form for.
        let wire = changes.compactMap(RouteChangeWire.init)
        return try await call(.post, "/admin/changes", body: ChangesBody(version: version, reason: reason, changes: wire))
    }

    /// Who this client's token is: its configured name and role.
    public func whoami() async throws(AdminAPIError) -> AdminIdentityView {
        try await call(.get, "/admin/whoami", body: nil)
    }

    public func undo(version: Int?, reason: String?) async throws(AdminAPIError) -> AdminChangeView {
        try await call(.post, "/admin/undo", body: UndoRequest(version: version, reason: reason))
    }

    public func audit(limit: Int) async throws(AdminAPIError) -> AdminAuditView {
        try await call(.get, "/admin/audit?limit=\(limit)", body: nil)
    }

    public func alerts() async throws(AdminAPIError) -> AdminAlertsView {
        try await call(.get, "/admin/alerts", body: nil)
    }

    public func replica() async throws(AdminAPIError) -> AdminReplicaView {
        try await call(.get, "/admin/replica", body: nil)
    }

    public func traffic() async throws(AdminAPIError) -> AdminTrafficView {
        try await call(.get, "/admin/traffic", body: nil)
    }

    public func targets() async throws(AdminAPIError) -> AdminTargetsView {
        try await call(.get, "/admin/targets", body: nil)
    }

    // MARK: - Wire

    private struct WeightsRequest: Encodable {
        var version: Int
        var weights: [String: Int]
        var reason: String?
    }
    private struct FallbackRequest: Encodable {
        var version: Int
        var order: [String]
        var reason: String?
    }
    private struct PolicyRequest: Encodable {
        var version: Int
        var policy: String
        var reason: String?
    }
    private struct VersionRequest: Encodable {
        var version: Int
        var reason: String?
    }
    private struct UndoRequest: Encodable {
        var version: Int?
        var reason: String?
    }
    private struct Problem: Decodable {
        var error: String
        var currentVersion: Int?

        enum CodingKeys: String, CodingKey {
            case error
            case currentVersion = "current_version"
        }
    }

    private func segment(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? name
    }

    private func call<Reply: Decodable>(_ method: HTTPMethod, _ path: String, body: (any Encodable)?) async throws(AdminAPIError) -> Reply {
        guard let token, !token.isEmpty else { throw .noToken }
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer \(token.reveal())")
        headers.add(name: "X-QLP-Actor", value: actor)
        var bytes: [UInt8] = []
        if let body {
            headers.add(name: "Content-Type", value: "application/json")
            do {
                bytes = Array(try JSONEncoder().encode(body))
            } catch {
                throw .unexpected(status: 0, detail: "cannot encode the request: \(error)")
            }
        }
        let response: HTTPResponse
        do {
            response = try await transport.send(
                HTTPRequest(
                    method: method, url: baseURL + path, headers: headers, body: bytes,
                    timeout: timeout, connectTimeout: min(.seconds(5), timeout)))
        } catch {
            throw .unreachable(baseURL: baseURL, detail: "\(error)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard response.isSuccess else {
            let problem = try? decoder.decode(Problem.self, from: Data(response.body))
            let message = problem?.error ?? "HTTP \(response.status): \(response.bodyText.prefix(200))"
            switch response.status {
            case 400: throw .badRequest(message)
            case 401: throw .unauthorized(message)
            case 403: throw .forbidden(message)
            case 404: throw .notFound(message)
            case 409: throw .conflict(currentVersion: problem?.currentVersion, message)
            case 503: throw .unavailable(message)
            case 422: throw .invalid(message)
            default: throw .unexpected(status: response.status, detail: message)
            }
        }
        do {
            return try decoder.decode(Reply.self, from: Data(response.body))
        } catch {
            throw .unexpected(status: response.status, detail: "the reply is not what qlp expects: \(error)")
        }
    }
}

/// What went wrong talking to the admin API, each said so a person knows what to do.
public enum AdminAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No token to send (neither gateway.admin_token nor $QLP_ADMIN_TOKEN).
    case noToken
    case unreachable(baseURL: String, detail: String)
    case unauthorized(String)
    /// The token is known but may not do this: the viewer (read-only) token asked for a change.
    case forbidden(String)
    case badRequest(String)
    case notFound(String)
    /// Someone else changed the table since the version this change was made against.
    case conflict(currentVersion: Int?, String)
    case invalid(String)
    /// The gateway could not do it now (its route store does not answer); nothing changed.
    case unavailable(String)
    case unexpected(status: Int, detail: String)

    public var description: String {
        switch self {
        case .noToken:
            "no admin token: set QLP_ADMIN_TOKEN (or gateway.admin_token in the config) to the gateway's admin token"
        case .unreachable(let base, let detail):
            "cannot reach the admin API at \(base) (is `qlp gateway` running, and is this its gateway.admin_listen?): \(detail)"
        case .unauthorized(let message):
            "the admin API refused the token (\(message)); check that QLP_ADMIN_TOKEN matches the gateway's gateway.admin_token"
        case .forbidden(let message):
            "the admin API refused the change (\(message)): your token is read-only (the gateway's viewer token); "
                + "set QLP_ADMIN_TOKEN to the gateway's gateway.admin_token to change routes"
        case .badRequest(let message): "the admin API refused the request: \(message)"
        case .notFound(let message): message
        case .conflict(let current, _):
            "someone else changed the routes since you read them"
                + (current.map {
                    ": the table is at version \($0) now. Check it with `qlp routes show`, then retry (or pass --version \($0))"
                } ?? "")
        case .invalid(let message): "the change was refused: \(message)"
        case .unavailable(let message): message
        case .unexpected(let status, let detail): "the admin API answered \(status): \(detail)"
        }
    }
}
