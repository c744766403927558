import QLPCore
import QLPHTTP

/// Picks the token source the config asks for.
public enum AzureCredentials {
    public static func source(for azure: AzureSettings, environment: [String: String], transport: any HTTPTransport,
                              timeout: Duration) throws(AzureError) -> any TokenSource {
        switch azure.credential {
        case .environment:
            return try EnvironmentCredential.make(environment: environment, defaultAuthority: azure.endpoints.authority,
                                                  configuredTenant: azure.tenantID, transport: transport, timeout: timeout)
        case .clientSecret(let clientID, let secret):
            return ClientSecretCredential(authority: azure.endpoints.authority, tenantID: azure.tenantID, clientID: clientID,
                                          clientSecret: secret, transport: transport, timeout: timeout)
        case .managedIdentity(let clientID):
            return ManagedIdentityCredential(endpoint: azure.endpoints.managedIdentity, clientID: clientID, transport: transport,
                                             timeout: timeout)
        case .azureCLI:
            return AzureCLICredential(environment: environment)
        case .auto:
            return ChainedCredential(chain(for: azure, environment: environment, transport: transport, timeout: timeout))
        }
    }

    /// Environment, managed identity, Azure CLI: DefaultAzureCredential's order.
    public static func chain(for azure: AzureSettings, environment: [String: String], transport: any HTTPTransport,
                             timeout: Duration) -> [(name: String, source: any TokenSource)] {
        [
            ("environment", LazyEnvironmentCredential(azure: azure, environment: environment, transport: transport, timeout: timeout)),
            // A short timeout: off Azure there is no IMDS, and waiting for it delays every start.
            ("managed identity", ManagedIdentityCredential(endpoint: azure.endpoints.managedIdentity, transport: transport,
                                                           timeout: .seconds(2))),
            ("Azure CLI", AzureCLICredential(environment: environment)),
        ]
    }
}

/// The environment credential, built when first asked, so that missing
/// variables mean "not available here" to a chain rather than a start-up error.
struct LazyEnvironmentCredential: TokenSource {
    var azure: AzureSettings
    var environment: [String: String]
    var transport: any HTTPTransport
    var timeout: Duration

    func fetchToken(scope: String) async throws(AzureError) -> AccessToken {
        let credential = try EnvironmentCredential.make(environment: environment, defaultAuthority: azure.endpoints.authority,
                                                        configuredTenant: azure.tenantID, transport: transport, timeout: timeout)
        return try await credential.fetchToken(scope: scope)
    }
}
