import Foundation
import QLPCore
import QLPHTTP

/// Entra ID's client-credentials grant on the v2.0 token endpoint, whatever
/// proves the client's identity: a secret (`client_secret`), or a client
/// assertion (a certificate's signed JWT, a federated token). One request,
/// one retry rule and one reading of Entra's answers for all of them.
struct EntraTokenGrant: Sendable {
    static let service = "Entra ID"
    static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    var authority: String
    var tenantID: String
    var clientID: String
    var transport: any HTTPTransport
    var timeout: Duration
    var clock: @Sendable () -> Date
    /// Named in refusals ("workload identity", "certificate"); nil for the client secret.
    var credential: String?

    /// AZURE_AUTHORITY_HOST may be a bare host or end in slashes.
    static func normalized(authority: String) -> String {
        var base = authority
        while base.hasSuffix("/") { base.removeLast() }
        if !base.contains("://") { base = "https://" + base }
        return base
    }

    /// The tenant's token endpoint: also the `aud` a client assertion must name.
    var tokenURL: String { "\(Self.normalized(authority: authority))/\(FormEncoding.escape(tenantID))/oauth2/v2.0/token" }

    /// A token for `scope`, the client proven by the `proof` form fields.
    func token(scope: String, proof: [(String, String)]) async throws(AzureError) -> AccessToken {
        let form = FormEncoding.encode([("client_id", clientID), ("scope", scope)] + proof + [("grant_type", "client_credentials")])
        let request = HTTPRequest(
            method: .post, url: tokenURL,
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
            body: Array(form.utf8), timeout: timeout)
        var retry = TokenRequestRetry.entra
        var requestedAt = clock()
        var response = try await transport.send(request, for: Self.service)
        // Throttled or failing for a moment: asked again (TokenRequestRetry says when), then the refusal stands.
        while response.status != 200,
            case .retry(let wait) = retry.next(status: response.status, asked: RetryAfter.wait(from: response.headers))
        {
            do { try await Task.sleep(for: wait) } catch { throw .transport(service: Self.service, .cancelled(endpoint: request.endpoint)) }
            requestedAt = clock()
            response = try await transport.send(request, for: Self.service)
        }
        guard response.status == 200 else {
            let body = try? JSONDecoder().decode(EntraErrorBody.self, from: response.body)
            throw .authentication(
                AuthenticationFailure(
                    endpoint: request.endpoint, status: response.status,
                    code: body?.errorCodes?.first ?? body?.aadstsFromDescription,
                    error: body?.error, message: body?.firstLine, credential: credential,
                    requestID: AzureRequestTrace.requestID(of: response)))
        }
        guard let body = try? JSONDecoder().decode(EntraTokenBody.self, from: response.body),
            let lifetime = body.expiresIn.seconds
        else {
            throw .malformedResponse(
                service: Self.service, endpoint: request.endpoint, status: 200,
                detail: "expected token_type, expires_in and access_token", excerpt: "")
        }
        return AccessToken(token: Secret(body.accessToken), expiresOn: requestedAt.addingTimeInterval(TimeInterval(lifetime)))
    }
}
