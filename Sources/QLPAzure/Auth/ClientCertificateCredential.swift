import Foundation
import QLPCore
import QLPHTTP
import _CryptoExtras

/// A service principal's certificate (azure-identity's ClientCertificateCredential):
/// each token request carries a client assertion, a JWT for the tenant's
/// token endpoint signed RS256 with the certificate's key, its header naming
/// the certificate by thumbprint (`x5t`).
public struct ClientCertificateCredential: TokenSource {
    public static let name = "certificate"

    public var certificatePath: String
    public var certificate: ClientCertificate
    public var tenantID: String
    public var clientID: String
    public var authority: String
    public var transport: any HTTPTransport
    public var timeout: Duration
    public var clock: @Sendable () -> Date

    public init(
        certificatePath: String, certificate: ClientCertificate, tenantID: String, clientID: String, authority: String,
        transport: any HTTPTransport, timeout: Duration = .seconds(30), clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.certificatePath = certificatePath
        self.certificate = certificate
        self.tenantID = tenantID
        self.clientID = clientID
        self.authority = EntraTokenGrant.normalized(authority: authority)
        self.transport = transport
        self.timeout = timeout
        self.clock = clock
    }

    /// From AZURE_TENANT_ID (or the config's tenant), AZURE_CLIENT_ID,
    /// AZURE_CLIENT_CERTIFICATE_PATH and AZURE_AUTHORITY_HOST.
    public static func make(
        environment: [String: String], defaultAuthority: String, configuredTenant: String?,
        transport: any HTTPTransport, timeout: Duration
    ) throws(AzureError) -> ClientCertificateCredential {
        let variables = CredentialVariables(environment)
        let tenant = variables["AZURE_TENANT_ID"] ?? configuredTenant
        let missing = (tenant == nil ? ["AZURE_TENANT_ID"] : []) + variables.missing(["AZURE_CLIENT_ID", "AZURE_CLIENT_CERTIFICATE_PATH"])
        guard missing.isEmpty, let tenant, let client = variables["AZURE_CLIENT_ID"],
            let path = variables["AZURE_CLIENT_CERTIFICATE_PATH"]
        else {
            throw .credentialUnavailable(detail: "credential: certificate needs \(missing.joined(separator: ", ")) to be set")
        }
        if variables["AZURE_CLIENT_CERTIFICATE_PASSWORD"] != nil {
            throw .credentialUnavailable(
                detail: "credential: certificate: AZURE_CLIENT_CERTIFICATE_PASSWORD is not supported; "
                    + "give AZURE_CLIENT_CERTIFICATE_PATH a PEM with an unencrypted key and unset the password")
        }
        let certificate: ClientCertificate
        do {
            certificate = try ClientCertificate.load(path: path)
        } catch {
            throw .credentialUnavailable(detail: "credential: certificate: AZURE_CLIENT_CERTIFICATE_PATH=\(error.description)")
        }
        return ClientCertificateCredential(
            certificatePath: path, certificate: certificate, tenantID: tenant, clientID: client,
            authority: variables["AZURE_AUTHORITY_HOST"] ?? defaultAuthority, transport: transport,
            timeout: timeout)
    }

    public var origin: String? { "AZURE_CLIENT_CERTIFICATE_PATH=\(certificatePath)" }

    public func fetchToken(scope: String) async throws(AzureError) -> AccessToken {
        let grant = EntraTokenGrant(
            authority: authority, tenantID: tenantID, clientID: clientID, transport: transport,
            timeout: timeout, clock: clock, credential: Self.name)
        let assertion = try self.assertion(audience: grant.tokenURL, now: clock())
        return try await grant.token(
            scope: scope,
            proof: [
                ("client_assertion_type", EntraTokenGrant.assertionType),
                ("client_assertion", assertion),
            ])
    }

    /// The signed JWT: valid ten minutes from `now`, for one use (`jti`).
    func assertion(audience: String, now: Date) throws(AzureError) -> String {
        let issued = Int(now.timeIntervalSince1970)
        let header = JSONText.object([("alg", .string("RS256")), ("typ", .string("JWT")), ("x5t", .string(certificate.thumbprint))])
        let claims = JSONText.object([
            ("aud", .string(audience)), ("iss", .string(clientID)), ("sub", .string(clientID)),
            ("jti", .string(UUID().uuidString.lowercased())), ("nbf", .number(issued)), ("iat", .number(issued)),
            ("exp", .number(issued + 600)),
        ])
        let signingInput = Base64URL.encode(Array(header.rendered.utf8)) + "." + Base64URL.encode(Array(claims.rendered.utf8))
        do {
            let signature = try certificate.privateKey.signature(for: Array(signingInput.utf8), padding: .insecurePKCS1v1_5)
            return signingInput + "." + Base64URL.encode(signature.rawRepresentation)
        } catch {
            throw .credentialUnavailable(
                detail: "credential: certificate: signing the client assertion with the key in "
                    + "\(certificatePath) failed: \(error)")
        }
    }
}
