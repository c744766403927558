import Foundation
import QLPCore
import QLPHTTP

/// AKS workload identity (azure-identity's WorkloadIdentityCredential): the
/// service account token kubelet projects into the pod is the client
/// assertion of a client-credentials grant; Entra ID trusts it through the
/// app registration's (or managed identity's) federated credential.
///
/// The file is read again for every token: kubelet rotates it (hourly by
/// default), and a copy kept from start-up would expire under a long-running gateway.
public struct WorkloadIdentityCredential: TokenSource {
    public static let name = "workload identity"

    public var tokenFile: String
    public var tenantID: String
    public var clientID: String
    public var authority: String
    public var transport: any HTTPTransport
    public var timeout: Duration
    public var clock: @Sendable () -> Date

    public init(
        tokenFile: String, tenantID: String, clientID: String, authority: String, transport: any HTTPTransport,
        timeout: Duration = .seconds(30), clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.tokenFile = tokenFile
        self.tenantID = tenantID
        self.clientID = clientID
        self.authority = EntraTokenGrant.normalized(authority: authority)
        self.transport = transport
        self.timeout = timeout
        self.clock = clock
    }

    /// From the variables the workload identity webhook injects; the config's
    /// tenant stands in for AZURE_TENANT_ID. Missing ones mean "not on a pod
    /// with workload identity", which a chain passes over.
    public static func make(
        environment: [String: String], defaultAuthority: String, configuredTenant: String?,
        transport: any HTTPTransport, timeout: Duration
    ) throws(AzureError) -> WorkloadIdentityCredential {
        let variables = CredentialVariables(environment)
        let tenant = variables["AZURE_TENANT_ID"] ?? configuredTenant
        let missing = variables.missing(["AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_ID"]) + (tenant == nil ? ["AZURE_TENANT_ID"] : [])
        guard missing.isEmpty, let file = variables["AZURE_FEDERATED_TOKEN_FILE"], let client = variables["AZURE_CLIENT_ID"],
            let tenant
        else {
            throw .credentialUnavailable(detail: "credential: workload identity needs \(missing.joined(separator: ", ")) to be set")
        }
        return WorkloadIdentityCredential(
            tokenFile: file, tenantID: tenant, clientID: client,
            authority: variables["AZURE_AUTHORITY_HOST"] ?? defaultAuthority, transport: transport,
            timeout: timeout)
    }

    public var origin: String? { "AZURE_FEDERATED_TOKEN_FILE=\(tokenFile)" }

    public func fetchToken(scope: String) async throws(AzureError) -> AccessToken {
        let assertion = try readAssertion()
        let grant = EntraTokenGrant(
            authority: authority, tenantID: tenantID, clientID: clientID, transport: transport,
            timeout: timeout, clock: clock, credential: Self.name)
        return try await grant.token(
            scope: scope,
            proof: [
                ("client_assertion_type", EntraTokenGrant.assertionType),
                ("client_assertion", assertion),
            ])
    }

    /// The file's current content, trimmed; never quoted in an error (it is a credential).
    func readAssertion() throws(AzureError) -> String {
        let text: String
        do {
            text = try String(contentsOfFile: tokenFile, encoding: .utf8)
        } catch {
            throw .credentialUnavailable(
                detail: "credential: workload identity cannot read AZURE_FEDERATED_TOKEN_FILE \(tokenFile): "
                    + "\((error as NSError).localizedDescription)")
        }
        let assertion = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !assertion.isEmpty else {
            throw .credentialUnavailable(
                detail: "credential: workload identity found AZURE_FEDERATED_TOKEN_FILE \(tokenFile) empty "
                    + "(is the service account token projected into the pod?)")
        }
        return assertion
    }
}

/// The credential variables of an environment, an empty value read as unset
/// (a Deployment's `value: ""` means "not configured", as the SDKs read it).
struct CredentialVariables {
    let environment: [String: String]

    init(_ environment: [String: String]) { self.environment = environment }

    subscript(name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }

    func missing(_ names: [String]) -> [String] { names.filter { self[$0] == nil } }
}
