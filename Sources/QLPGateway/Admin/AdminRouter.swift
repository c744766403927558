import Foundation
import HTTPTypes
import Hummingbird
import Logging
import QLPCore
import QLPRouting
import QLPStore

/// The admin API's endpoints, all behind ``AdminAuthorization``:
///
/// | request | does |
/// | --- | --- |
/// | GET /admin/routes | {version, table, activeRules, drained} |
/// | GET /admin/whoami | {name, role}: the presented token's name and role (admin or viewer) |
/// | PUT /admin/routes/{route}/weights | {"version":N,"weights":{"gpt4":20,...},"reason":"..."} |
/// | PUT /admin/routes/{route}/fallback | {"version":N,"order":["gpt35","llama3"]} |
/// | PUT /admin/routes/{route}/policy | {"version":N,"policy":"priority"} |
/// | POST /admin/targets/{target}/drain, /undrain | {"version":N} |
/// | POST /admin/rules/{name}/suspend, /resume | {"version":N} |
/// | POST /admin/changes | {"version":N,"reason":"...","changes":[{"op":"weights","route":"chat","weights":{...}}, ...]} |
/// | POST /admin/undo | {"version":N} or nothing |
/// | GET /admin/audit?limit=N | {entries: [...]} newest first |
/// | GET /admin/alerts | {alerts: [...]} oldest first |
/// | GET /admin/replica | {name, version, store, started_at, uptime_seconds} |
/// | GET /admin/traffic | {window_seconds, routes: {route: {shares, requests}}} |
/// | GET /admin/targets | {targets: [...]}: each target's figures on this replica |
///
/// POST /admin/changes applies its changes in order as ONE new version with
/// one audit entry (action `batch`; a single change is recorded as itself),
/// so several changes never land half-applied and one undo takes them all
/// back. Its ops (``RouteChangeWire``): weights {route, weights}, fallback
/// {route, order}, policy {route, policy}, drain and undrain {target},
/// suspend_rule and resume_rule {rule}.
///
/// A change answers 200 {version, entry}; 409 {error, current_version} when
/// made against an old version; 400 naming the field for a bad body
/// (`changes[2].weights` in a batch); 404 for an unknown route, target or
/// rule; 422 for a change that does not fit the table (a batch's part is
/// named by its position, "change 2 of 3: ..."); 401 without a token; 403
/// for a change made with the viewer (read-only) token. The audit's actor is
/// the token's configured name, followed by the X-QLP-Actor header when one
/// is sent ("admin/alice"), so no caller can pass as another token.
enum AdminRouter {
    static let maxBodyBytes = 64 * 1024

    /// What the read endpoints about the replica itself answer with.
    struct Replica: Sendable {
        var name: String
        var startedAt: Date
        /// The data plane beside this admin API; nil when none runs (then /admin/traffic and /admin/targets answer 503).
        var gateway: Gateway?
    }

    static func make(
        authority: RouteAuthority, replica: Replica, authorization: AdminAuthorization, logger: Logger,
        callers: HostAndOriginPolicy
    ) -> Router<AdminRequestContext> {
        let router = Router(context: AdminRequestContext.self)
        router.add(middleware: AdminRequestLog(logger: logger))
        router.add(middleware: AdminCallerCheck(policy: callers))
        router.add(middleware: authorization)
        let admin = router.group("admin")

        admin.get("routes") { _, _ in
            // What another process committed a moment ago, not what this one saw at its last look.
            _ = try? await authority.catchUp()
            let current = await authority.current
            return AdminReply.json(
                .ok,
                AdminRoutesView(
                    version: current.table.version, table: current.table,
                    activeRules: current.activeRules, drained: current.table.drained))
        }
        admin.get("whoami") { _, context in
            guard let identity = context.identity else { return AdminReply.problem(.unauthorized, "not authorized") }
            return AdminReply.json(.ok, identity)
        }
        admin.post("changes") { request, context in
            do {
                let actor = try auditActor(of: request, context)
                let bytes = try await body(of: request)
                let body = try AdminRequestDecoding.decode(ChangesBody.self, from: bytes)
                guard !body.changes.isEmpty else { throw BadRequestBody(message: "field 'changes' needs at least one change") }
                let reason = try AdminRequestDecoding.reason(body.reason)
                let table = await authority.current.table
                let change = RouteChange.combining(body.changes.map { $0.change(on: table) })
                let entry = try await authority.apply(change, expectedVersion: body.version, actor: actor, reason: reason)
                return AdminReply.json(.ok, AdminChangeView(version: entry.toVersion ?? entry.fromVersion, entry: entry))
            } catch {
                return reply(to: error)
            }
        }
        admin.put("routes/:route/weights") { request, context in
            await change(request, context, authority) { (body: WeightsBody, table, name) throws(BadRequestBody) in
                (
                    .setWeights(route: name, weights: AdminRequestDecoding.shares(body.weights, existing: table.route(named: name))),
                    body.version, body.reason
                )
            }
        }
        admin.put("routes/:route/fallback") { request, context in
            await change(request, context, authority) { (body: FallbackBody, _, name) throws(BadRequestBody) in
                (.setFallback(route: name, order: body.order), body.version, body.reason)
            }
        }
        admin.put("routes/:route/policy") { request, context in
            await change(request, context, authority) { (body: PolicyBody, _, name) throws(BadRequestBody) in
                (.setPolicy(route: name, policy: try AdminRequestDecoding.policy(body.policy)), body.version, body.reason)
            }
        }
        admin.post("targets/:target/drain") { request, context in
            await change(request, context, authority) { (body: VersionedBody, _, name) throws(BadRequestBody) in
                (.drain(target: name), body.version, body.reason)
            }
        }
        admin.post("targets/:target/undrain") { request, context in
            await change(request, context, authority) { (body: VersionedBody, _, name) throws(BadRequestBody) in
                (.undrain(target: name), body.version, body.reason)
            }
        }
        admin.post("rules/:rule/suspend") { request, context in
            await change(request, context, authority) { (body: VersionedBody, _, name) throws(BadRequestBody) in
                (.suspendRule(name: name, suspended: true), body.version, body.reason)
            }
        }
        admin.post("rules/:rule/resume") { request, context in
            await change(request, context, authority) { (body: VersionedBody, _, name) throws(BadRequestBody) in
                (.suspendRule(name: name, suspended: false), body.version, body.reason)
            }
        }
        admin.post("undo") { request, context in
            do {
                let actor = try auditActor(of: request, context)
                let bytes = try await body(of: request)
                let body = try AdminRequestDecoding.decode(UndoBody.self, from: bytes, emptyAs: "{}")
                let entry = try await authority.undo(
                    actor: actor, reason: try AdminRequestDecoding.reason(body.reason),
                    expectedVersion: body.version)
                return AdminReply.json(.ok, AdminChangeView(version: entry.toVersion ?? entry.fromVersion, entry: entry))
            } catch {
                return reply(to: error)
            }
        }
        admin.get("audit") { request, _ in
            let limitText = request.uri.queryParameters.get("limit")
            let limit = limitText.map { Int($0) } ?? 50
            guard let limit, (1...10_000).contains(limit) else {
                return AdminReply.problem(.badRequest, "limit must be a whole number from 1 to 10000")
            }
            do {
                return AdminReply.json(.ok, AdminAuditView(entries: try await authority.store.audit(limit: limit)))
            } catch {
                return AdminReply.problem(.serviceUnavailable, "cannot read the audit log: \(error)")
            }
        }
        admin.get("alerts") { _, _ in
            AdminReply.json(.ok, AdminAlertsView(alerts: await authority.alerts))
        }
        admin.get("replica") { _, _ in
            // The version another replica committed a moment ago counts as this one's only once it has caught up.
            _ = try? await authority.catchUp()
            let version = await authority.current.table.version
            let now = Date()
            return AdminReply.json(
                .ok,
                AdminReplicaView(
                    name: replica.name, version: version, store: authority.store.status,
                    startedAt: replica.startedAt,
                    uptimeSeconds: max(0, Int(now.timeIntervalSince(replica.startedAt)))))
        }
        admin.get("traffic") { _, _ in
            guard let gateway = replica.gateway else { return noGateway() }
            var routes: [String: AdminTrafficView.RouteTraffic] = [:]
            for route in gateway.routes.snapshot.table.routes {
                let observed = gateway.traffic.observed(route: route.name)
                routes[route.name] = AdminTrafficView.RouteTraffic(shares: observed.shares, requests: observed.requests)
            }
            return AdminReply.json(.ok, AdminTrafficView(windowSeconds: RouteTrafficWindow.windowSeconds, routes: routes))
        }
        admin.get("targets") { _, _ in
            guard let gateway = replica.gateway else { return noGateway() }
            return AdminReply.json(.ok, AdminTargetsView(targets: gateway.targetStats()))
        }
        return router
    }

    private static func noGateway() -> Response {
        AdminReply.problem(.serviceUnavailable, "no gateway runs beside this admin API: it has no traffic or target figures")
    }

    /// One change endpoint: reads the body and the path's name, builds the change, applies it.
    private static func change<Body: Decodable>(
        _ request: Request, _ context: AdminRequestContext, _ authority: RouteAuthority,
        _ make: (Body, RouteTable, String) throws(BadRequestBody) -> (RouteChange, Int, String?)
    ) async -> Response {
        // Each change route has exactly one path parameter: the route, target or rule it acts on.
        guard let name = ["route", "target", "rule"].lazy.compactMap({ context.parameters.get($0) }).first else {
            return AdminReply.problem(.notFound, "no such endpoint")
        }
        do {
            let actor = try auditActor(of: request, context)
            let bytes = try await body(of: request)
            let body = try AdminRequestDecoding.decode(Body.self, from: bytes)
            let (change, version, reason) = try make(body, await authority.current.table, name)
            let entry = try await authority.apply(
                change, expectedVersion: version, actor: actor,
                reason: try AdminRequestDecoding.reason(reason))
            return AdminReply.json(.ok, AdminChangeView(version: entry.toVersion ?? entry.fromVersion, entry: entry))
        } catch {
            return reply(to: error)
        }
    }

    /// Who the audit log says made the change (see ``AdminRequestDecoding/actor(_:identity:)``).
    private static func auditActor(of request: Request, _ context: AdminRequestContext) throws(BadRequestBody) -> String {
        // Set by AdminAuthorization before any endpoint runs; refused rather than recorded without a name.
        guard let identity = context.identity else { throw BadRequestBody(message: "the request was not authorized") }
        return try AdminRequestDecoding.actor(request.headers[.qlpActor], identity: identity)
    }

    private static func body(of request: Request) async throws(BadRequestBody) -> [UInt8] {
        do {
            let buffer = try await request.body.collect(upTo: maxBodyBytes)
            return Array(buffer.readableBytesView)
        } catch {
            throw BadRequestBody(message: "the body is larger than \(maxBodyBytes) bytes or was cut off")
        }
    }

    private static func reply(to error: any Error) -> Response {
        switch error {
        case let bad as BadRequestBody:
            return AdminReply.problem(.badRequest, bad.message)
        case let rejection as RouteChangeRejection:
            switch rejection {
            case .stale(let current):
                return AdminReply.problem(.conflict, rejection.description, currentVersion: current)
            case .invalid(let invalid):
                return AdminReply.problem(invalid.kind == .notFound ? .notFound : .unprocessableContent, invalid.description)
            case .nothingToUndo:
                return AdminReply.problem(.unprocessableContent, rejection.description)
            case .storage:
                return AdminReply.problem(.serviceUnavailable, rejection.description)
            }
        default:
            return AdminReply.problem(.internalServerError, "\(error)")
        }
    }
}

extension HTTPField.Name {
    /// Who is making an admin change, for the audit log, after the token's name.
    static let qlpActor = HTTPField.Name("X-QLP-Actor")!
}

/// One debug line per admin request: method, path, status, actor. Never a
/// header value or a body, so a token cannot reach the log this way.
/// Host and Origin, checked before the token (see ``HostAndOriginPolicy``).
struct AdminCallerCheck<Context: RequestContext>: RouterMiddleware {
    let policy: HostAndOriginPolicy

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let refusal = policy.check(
            authority: request.head.authority, extraHosts: request.headers[values: GatewayResponder.hostField].count,
            origin: request.headers[.origin])
        {
            if case .originNotAllowed(let origin) = refusal {
                return AdminReply.problem(
                    refusal.status,
                    "the admin API does not answer web pages (Origin: "
                        + "\(ClientText.printable(origin))): use qlp routes or the dashboard")
            }
            return AdminReply.problem(refusal.status, refusal.message.replacingOccurrences(of: "This gateway", with: "The admin API"))
        }
        return try await next(request, context)
    }
}

struct AdminRequestLog: RouterMiddleware {
    typealias Context = AdminRequestContext
    let logger: Logger

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response = try await next(request, context)
        // The identity is set further in (by the authorization), so not in this context: the header is logged as sent.
        let header: String
        do {
            header = try AdminRequestDecoding.actorHeader(request.headers[.qlpActor]) ?? "-"
        } catch {
            header = "(refused header)"
        }
        logger.debug(
            "admin request",
            metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path)",
                "status": "\(response.status.code)", "actor_header": "\(header)",
            ])
        return response
    }
}
