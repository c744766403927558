import QLPCore
import QLPHTTP

/// Picks the token source the config asks for.
public enum AzureCredentials {
    public static func source(
        for azure: AzureSettings, environment: [String: String], transport: any HTTPTransport,
        timeout: Duration
    ) throws(AzureError) -> any TokenSource {
        switch azure.credential {
        case .environment:
            return try EnvironmentCredential.make(
                environment: environment, defaultAuthority: azure.endpoints.authority,
                configuredTenant: azure.tenantID, transport: transport, timeout: timeout)
        case .clientSecret(let clientID, let secret):
            return ClientSecretCredential(
                authority: azure.endpoints.authority, tenantID: azure.tenantID, clientID: clientID,
                clientSecret: secret, transport: transport, timeout: timeout)
        case .workloadIdentity:
            return try WorkloadIdentityCredential.make(
                environment: environment, defaultAuthority: azure.endpoints.authority,
                configuredTenant: azure.tenantID, transport: transport, timeout: timeout)
        case .certificate:
            return try ClientCertificateCredential.make(
                environment: environment, defaultAuthority: azure.endpoints.authority,
                configuredTenant: azure.tenantID, transport: transport, timeout: timeout)
        case .managedIdentity(let clientID):
            return managedIdentity(for: azure, clientID: clientID, environment: environment, transport: transport, timeout: timeout)
        case .azureCLI:
            return AzureCLICredential(environment: environment)
        case .auto:
            return ChainedCredential(chain(for: azure, environment: environment, transport: transport, timeout: timeout))
        }
    }

    /// Environment (secret or certificate), workload identity, managed
    /// identity, Azure CLI: DefaultAzureCredential's order.
    public static func chain(
        for azure: AzureSettings, environment: [String: String], transport: any HTTPTransport,
        timeout: Duration
    ) -> [(name: String, source: any TokenSource)] {
        [
            ("environment", LazyEnvironmentCredential(azure: azure, environment: environment, transport: transport, timeout: timeout)),
            (
                WorkloadIdentityCredential.name,
                LazyCredential(
                    origin: CredentialVariables(environment)["AZURE_FEDERATED_TOKEN_FILE"]
                        .map { "AZURE_FEDERATED_TOKEN_FILE=\($0)" }
                ) { () throws(AzureError) -> any TokenSource in
                    try WorkloadIdentityCredential.make(
                        environment: environment, defaultAuthority: azure.endpoints.authority,
                        configuredTenant: azure.tenantID, transport: transport, timeout: timeout)
                }
            ),
            // A short timeout for IMDS: off Azure there is none, and waiting for it delays every start.
            (
                "managed identity",
                managedIdentity(
                    for: azure, clientID: nil, environment: environment, transport: transport,
                    timeout: .seconds(2))
            ),
            ("Azure CLI", AzureCLICredential(environment: environment)),
        ]
    }

    /// App Service and Container Apps' identity endpoint where the platform
    /// announces one, else the Instance Metadata Service.
    static func managedIdentity(
        for azure: AzureSettings, clientID: String?, environment: [String: String],
        transport: any HTTPTransport, timeout: Duration
    ) -> any TokenSource {
        IdentityEndpointCredential.fromEnvironment(
            environment, clientID: clientID, transport: transport, timeout: max(timeout, .seconds(5)))
            ?? ManagedIdentityCredential(
                endpoint: azure.endpoints.managedIdentity, clientID: clientID, transport: transport, timeout: timeout)
    }
}

/// The environment credential, built when first asked, so that missing
/// variables mean "not available here" to a chain rather than a start-up
/// error: a client secret when AZURE_CLIENT_SECRET is set, else a certificate
/// when AZURE_CLIENT_CERTIFICATE_PATH is (azure-identity's EnvironmentCredential).
struct LazyEnvironmentCredential: TokenSource {
    var azure: AzureSettings
    var environment: [String: String]
    var transport: any HTTPTransport
    var timeout: Duration

    var origin: String? {
        let variables = CredentialVariables(environment)
        if variables["AZURE_CLIENT_SECRET"] != nil {
            return "AZURE_CLIENT_ID=\(variables["AZURE_CLIENT_ID"] ?? "(unset)"), AZURE_CLIENT_SECRET"
        }
        return variables["AZURE_CLIENT_CERTIFICATE_PATH"].map { "AZURE_CLIENT_CERTIFICATE_PATH=\($0)" }
    }

    func fetchToken(scope: String) async throws(AzureError) -> AccessToken {
        let credential: any TokenSource
        if CredentialVariables(environment)["AZURE_CLIENT_SECRET"] == nil,
            CredentialVariables(environment)["AZURE_CLIENT_CERTIFICATE_PATH"] != nil
        {
            credential = try ClientCertificateCredential.make(
                environment: environment, defaultAuthority: azure.endpoints.authority,
                configuredTenant: azure.tenantID, transport: transport, timeout: timeout)
        } else {
            credential = try EnvironmentCredential.make(
                environment: environment, defaultAuthority: azure.endpoints.authority,
                configuredTenant: azure.tenantID, transport: transport, timeout: timeout)
        }
        return try await credential.fetchToken(scope: scope)
    }
}

/// A credential built when first asked, for the same reason as the environment's.
struct LazyCredential: TokenSource {
    let origin: String?
    let make: @Sendable () throws(AzureError) -> any TokenSource

    init(origin: String?, _ make: @escaping @Sendable () throws(AzureError) -> any TokenSource) {
        self.origin = origin
        self.make = make
    }

    func fetchToken(scope: String) async throws(AzureError) -> AccessToken {
        try await make().fetchToken(scope: scope)
    }
}
