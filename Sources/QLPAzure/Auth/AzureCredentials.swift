import QLPCore
import QLPHTTP

/// Picks the token source the config asks for.
public enum AzureCredentials {
    public static func source(for azure: AzureSettings, environment: [String: String], transport: any HTTPTransport,
                              timeout: Duration) throws(AzureError) -> any TokenSource {
        switch azure.credential {
        case .environment:
            try EnvironmentCredential.make(environment: environment, defaultAuthority: azure.endpoints.authority,
                                           configuredTenant: azure.tenantID, transport: transport, timeout: timeout)
        case .clientSecret(let clientID, let secret):
            ClientSecretCredential(authority: azure.endpoints.authority, tenantID: azure.tenantID, clientID: clientID,
                                   clientSecret: secret, transport: transport, timeout: timeout)
        }
    }
}
