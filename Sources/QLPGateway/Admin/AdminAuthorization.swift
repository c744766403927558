import Crypto
import Hummingbird
import QLPCore

/// Every admin request must carry `Authorization: Bearer <token>`, where the
/// token is gateway.admin_token (role admin: read and change) or
/// gateway.viewer_token (role viewer: read only). Read-only is enforced here,
/// by the server, for every endpoint that is not a GET. Without a configured
/// token the admin API refuses everything: an open admin port must never be
/// the default. Neither an expected nor the presented token is ever logged or
/// echoed; who the caller is goes into the context for the endpoints.
struct AdminAuthorization: RouterMiddleware {
    typealias Context = AdminRequestContext

    /// A configured token: who it is, and the SHA-256 of its value.
    struct Credential {
        var identity: AdminIdentityView
        /// Comparing digests takes the same time whatever the presented token's length or first wrong byte.
        var digest: [UInt8]
    }

    private let credentials: [Credential]

    init(settings: GatewaySettings) {
        let tokens: [(Secret?, AdminIdentityView)] = [
            (settings.adminToken, AdminIdentityView(name: settings.adminTokenName, role: .admin)),
            (settings.viewerToken, AdminIdentityView(name: settings.viewerTokenName, role: .viewer)),
        ]
        credentials = tokens.compactMap { token, identity in
            guard let token, !token.isEmpty else { return nil }
            return Credential(identity: identity, digest: Self.digest(token.reveal()))
        }
    }

    /// Whether any token is configured; without one every request is refused.
    var acceptsAnyToken: Bool { !credentials.isEmpty }

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard !credentials.isEmpty else {
            return AdminReply.problem(
                .unauthorized,
                "the admin API is disabled: no admin token is configured; set "
                    + "gateway.admin_token in the config (admin_token: \"${QLP_ADMIN_TOKEN}\") and restart")
        }
        guard let presented = Self.bearerToken(request.headers[.authorization]), let identity = identify(presented) else {
            return AdminReply.problem(
                .unauthorized, "missing or wrong admin token: send Authorization: Bearer <gateway.admin_token>",
                headers: [.wwwAuthenticate: "Bearer realm=\"qlp-admin\""])
        }
        if identity.role == .viewer, !Self.reads(request.method) {
            return AdminReply.problem(.forbidden, "the token '\(identity.name)' is read-only: changes need the admin token")
        }
        var context = context
        context.identity = identity
        return try await next(request, context)
    }

    /// Whether `method` only reads: all a viewer may do.
    static func reads(_ method: HTTPRequest.Method) -> Bool { method == .get || method == .head }

    /// The identity whose token is `presented`. Every configured token is
    /// compared, whichever matches, so the time taken does not say which one did.
    private func identify(_ presented: Substring) -> AdminIdentityView? {
        let digest = Self.digest(presented)
        var found: AdminIdentityView?
        for credential in credentials where Self.constantTimeEqual(digest, credential.digest) {
            found = credential.identity
        }
        return found
    }

    static func bearerToken(_ header: String?) -> Substring? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return header.dropFirst(7)
    }

    static func digest(_ text: some StringProtocol) -> [UInt8] { Array(SHA256.hash(data: Array(text.utf8))) }

    /// Both are SHA-256 digests (32 bytes): every byte is compared whatever the first difference.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
