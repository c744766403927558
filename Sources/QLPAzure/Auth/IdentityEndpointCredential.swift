import Foundation
import QLPCore
import QLPHTTP

/// The managed identity of App Service, Functions and Container Apps: the
/// platform sets IDENTITY_ENDPOINT and IDENTITY_HEADER, and a token is
/// GET {IDENTITY_ENDPOINT}?resource=...&api-version=2019-08-01 with the header's
/// value in `X-IDENTITY-HEADER` (it proves the caller runs inside the app;
/// without it the endpoint refuses). `expires_on` is epoch seconds.
public struct IdentityEndpointCredential: TokenSource {
    static let service = "Managed identity (IDENTITY_ENDPOINT)"
    public static let apiVersion = "2019-08-01"

    public var endpoint: String
    public var header: Secret
    /// A user-assigned identity's client ID; nil for the system-assigned one.
    public var clientID: String?
    public var transport: any HTTPTransport
    public var timeout: Duration
    public var clock: @Sendable () -> Date

    public init(
        endpoint: String, header: Secret, clientID: String? = nil, transport: any HTTPTransport,
        timeout: Duration = .seconds(10), clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.endpoint = endpoint
        self.header = header
        self.clientID = clientID.flatMap { $0.isEmpty ? nil : $0 }
        self.transport = transport
        self.timeout = timeout
        self.clock = clock
    }

    /// The App Service endpoint when both variables are set; nil elsewhere.
    public static func fromEnvironment(
        _ environment: [String: String], clientID: String?, transport: any HTTPTransport,
        timeout: Duration
    ) -> IdentityEndpointCredential? {
        let variables = CredentialVariables(environment)
        guard let endpoint = variables["IDENTITY_ENDPOINT"], let header = variables["IDENTITY_HEADER"] else { return nil }
        return IdentityEndpointCredential(
            endpoint: endpoint, header: Secret(header), clientID: clientID, transport: transport,
            timeout: timeout)
    }

    public var origin: String? { "IDENTITY_ENDPOINT=\(endpoint)" }

    public func fetchToken(scope: String) async throws(AzureError) -> AccessToken {
        var pairs = [("resource", ManagedIdentityCredential.resource(for: scope)), ("api-version", Self.apiVersion)]
        if let clientID { pairs.append(("client_id", clientID)) }
        let separator = endpoint.contains("?") ? "&" : "?"
        let request = HTTPRequest(
            method: .get, url: endpoint + separator + FormEncoding.encode(pairs),
            headers: ["X-IDENTITY-HEADER": header.reveal(), "Accept": "application/json"], timeout: timeout,
            connectTimeout: min(timeout, .seconds(3)))
        let response = try await transport.send(request, for: Self.service)
        let receivedAt = clock()
        guard response.status == 200 else {
            let body = AzureWireDecoding.tokenError(response.body)
            let said =
                body?.description?.split(whereSeparator: \.isNewline).first.map(String.init)
                ?? AppServiceErrorBody.message(response.body) ?? body?.error ?? "HTTP \(response.status)"
            let remedy =
                switch response.status {
                case 400, 401, 403:
                    "the endpoint refused X-IDENTITY-HEADER: qlp must run inside the app whose IDENTITY_HEADER it was given "
                        + "(the value changes when the app restarts)"
                case 404:
                    clientID.map { "no managed identity with client ID \($0) is assigned to this app" }
                        ?? "this app has no system-assigned managed identity: turn one on (Identity, System assigned)"
                default: "the identity endpoint failed: try again in a minute"
                }
            throw .authentication(
                AuthenticationFailure(
                    endpoint: request.endpoint, status: response.status, code: body?.codes.first,
                    error: "managed_identity", message: said, specificRemedy: remedy,
                    requestID: AzureRequestTrace.requestID(of: response)))
        }
        do {
            return try AzureWireDecoding.accessToken(response.body, receivedAt: receivedAt)
        } catch {
            throw .malformedResponse(
                service: Self.service, endpoint: request.endpoint, status: 200,
                detail: "expected access_token and expires_on", excerpt: "")
        }
    }
}

/// App Service's own error shape: {"statusCode": 400, "message": "..."}.
struct AppServiceErrorBody: Decodable {
    var message: String?

    static func message(_ body: [UInt8]) -> String? {
        (try? JSONDecoder().decode(AppServiceErrorBody.self, from: Data(body)))?.message
    }
}
