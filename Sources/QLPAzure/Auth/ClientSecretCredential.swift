import Foundation
import QLPCore
import QLPHTTP

/// Entra ID's client-credentials grant (v2.0 endpoint) with a client secret.
public struct ClientSecretCredential: TokenSource {
    public var authority: String
    public var tenantID: String
    public var clientID: String
    public var clientSecret: Secret
    public var transport: any HTTPTransport
    public var timeout: Duration
    /// When "now" is, for the expiry time (tests pin it).
    public var clock: @Sendable () -> Date

    public init(
        authority: String, tenantID: String, clientID: String, clientSecret: Secret,
        transport: any HTTPTransport, timeout: Duration = .seconds(30), clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.authority = EntraTokenGrant.normalized(authority: authority)
        self.tenantID = tenantID
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.transport = transport
        self.timeout = timeout
        self.clock = clock
    }

    static let service = EntraTokenGrant.service

    public func fetchToken(scope: String) async throws(AzureError) -> AccessToken {
        let grant = EntraTokenGrant(
            authority: authority, tenantID: tenantID, clientID: clientID, transport: transport,
            timeout: timeout, clock: clock, credential: nil)
        return try await grant.token(scope: scope, proof: [("client_secret", clientSecret.reveal())])
    }
}

/// {"token_type": "Bearer", "expires_in": 3599, "access_token": "..."}
struct EntraTokenBody: Decodable {
    var tokenType: String
    var expiresIn: FlexibleInt
    var accessToken: String

    enum CodingKeys: String, CodingKey {
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case accessToken = "access_token"
    }
}

/// {"error", "error_description", "error_codes": [70011], ...}
struct EntraErrorBody: Decodable {
    var error: String?
    var errorDescription: String?
    var errorCodes: [Int]?

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
        case errorCodes = "error_codes"
    }

    /// The description's first line; later lines are trace and correlation ids.
    var firstLine: String? {
        errorDescription?.split(whereSeparator: \.isNewline).first.map(String.init)
    }

    var aadstsFromDescription: Int? {
        guard let d = errorDescription, let r = d.range(of: "AADSTS") else { return nil }
        return Int(d[r.upperBound...].prefix { $0.isNumber })
    }
}

/// Entra sends expires_in as a number; IMDS sends it as a string.
struct FlexibleInt: Decodable {
    var seconds: Int?

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int.self) { seconds = n } else { seconds = Int(try c.decode(String.self)) }
    }
}

/// application/x-www-form-urlencoded.
enum FormEncoding {
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
