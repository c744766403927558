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

    public init(authority: String, tenantID: String, clientID: String, clientSecret: Secret,
                transport: any HTTPTransport, timeout: Duration = .seconds(30), clock: @escaping @Sendable () -> Date = { Date() }) {
        var base = authority
        while base.hasSuffix("/") { base.removeLast() }
        if !base.contains("://") { base = "https://" + base }   // AZURE_AUTHORITY_HOST may be a bare host
        self.authority = base
        self.tenantID = tenantID
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.transport = transport
        self.timeout = timeout
        self.clock = clock
    }

    static let service = "Entra ID"

    public func fetchToken(scope: String) async throws(AzureError) -> AccessToken {
        let url = "\(authority)/\(FormEncoding.escape(tenantID))/oauth2/v2.0/token"
        let form = FormEncoding.encode([
            ("client_id", clientID), ("scope", scope), ("client_secret", clientSecret.reveal()),
            ("grant_type", "client_credentials"),
        ])
        let request = HTTPRequest(method: .post, url: url,
                                  headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
                                  body: Array(form.utf8), timeout: timeout)
        var retry = TokenRequestRetry.entra
        var requestedAt = clock()
        var response = try await transport.send(request, for: Self.service)
        // Throttled or failing for a moment: asked again (TokenRequestRetry says when), then the refusal stands.
        while response.status != 200, case .retry(let wait) = retry.next(status: response.status, asked: RetryAfter.wait(from: response.headers)) {
            do { try await Task.sleep(for: wait) } catch { throw .transport(service: Self.service, .cancelled(endpoint: request.endpoint)) }
            requestedAt = clock()
            response = try await transport.send(request, for: Self.service)
        }
        guard response.status == 200 else {
            let body = try? JSONDecoder().decode(EntraErrorBody.self, from: response.body)
            throw .authentication(AuthenticationFailure(
                endpoint: request.endpoint, status: response.status,
                code: body?.errorCodes?.first ?? body?.aadstsFromDescription,
                error: body?.error, message: body?.firstLine))
        }
        guard let body = try? JSONDecoder().decode(EntraTokenBody.self, from: response.body),
              let lifetime = body.expiresIn.seconds else {
            throw .malformedResponse(service: Self.service, endpoint: request.endpoint, status: 200,
                                     detail: "expected token_type, expires_in and access_token", excerpt: "")
        }
        return AccessToken(token: Secret(body.accessToken), expiresOn: requestedAt.addingTimeInterval(TimeInterval(lifetime)))
    }
}

/// {"token_type": "Bearer", "expires_in": 3599, "access_token": "..."}
struct EntraTokenBody: Decodable {
    var tokenType: String
    var expiresIn: FlexibleInt
    var accessToken: String

    enum CodingKeys: String, CodingKey {
        case tokenType = "token_type", expiresIn = "expires_in", accessToken = "access_token"
    }
}

/// {"error", "error_description", "error_codes": [70011], ...}
struct EntraErrorBody: Decodable {
    var error: String?
    var errorDescription: String?
    var errorCodes: [Int]?

    enum CodingKeys: String, CodingKey {
        case error, errorDescription = "error_description", errorCodes = "error_codes"
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
