import Hummingbird
import QLPCore

/// What a caller of the admin API may do, by the token it presented.
public enum AdminRole: String, Codable, Sendable {
    /// gateway.admin_token: read and change.
    case admin
    /// gateway.viewer_token: read only.
    case viewer
}

/// Who a request to the admin API is: its token's configured name and role.
/// GET /admin/whoami answers it; the server keeps it in the request context.
public struct AdminIdentityView: Codable, Sendable, Equatable {
    /// gateway.admin_token_name / gateway.viewer_token_name; the audit log's actor starts with it.
    public var name: String
    public var role: AdminRole

    public init(name: String, role: AdminRole) {
        self.name = name
        self.role = role
    }
}

/// The admin API's request context: Hummingbird's own, plus who the caller
/// is, set by ``AdminAuthorization`` before any endpoint runs.
struct AdminRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Nil only before authorization (no endpoint sees that).
    var identity: AdminIdentityView?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
