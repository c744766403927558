import Crypto
import Hummingbird
import QLPCore

/// Every admin request must carry `Authorization: Bearer <gateway.admin_token>`.
/// Without a configured token the admin API refuses everything: an open admin
/// port must never be the default. Neither the expected nor the presented
/// token is ever logged or echoed.
struct AdminAuthorization<Context: RequestContext>: RouterMiddleware {
    /// SHA-256 of the configured token; comparing digests takes the same time
    /// whatever the presented token's length or first wrong byte.
    private let expected: [UInt8]?

    init(token: Secret?) {
        expected = token.flatMap { $0.isEmpty ? nil : Self.digest($0.reveal()) }
    }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let expected else {
            return AdminReply.problem(.unauthorized, "the admin API is disabled: no admin token is configured; set "
                + "gateway.admin_token in the config (admin_token: \"${QLP_ADMIN_TOKEN}\") and restart")
        }
        guard let presented = Self.bearerToken(request.headers[.authorization]),
              Self.constantTimeEqual(Self.digest(presented), expected) else {
            return AdminReply.problem(.unauthorized, "missing or wrong admin token: send Authorization: Bearer <gateway.admin_token>",
                                      headers: [.wwwAuthenticate: "Bearer realm=\"qlp-admin\""])
        }
        return try await next(request, context)
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
