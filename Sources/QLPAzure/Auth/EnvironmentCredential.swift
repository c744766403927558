import QLPCore
import QLPHTTP

/// The Azure SDKs' EnvironmentCredential: AZURE_TENANT_ID, AZURE_CLIENT_ID,
/// AZURE_CLIENT_SECRET, and AZURE_AUTHORITY_HOST for other clouds.
public enum EnvironmentCredential {
    public static func make(
        environment: [String: String], defaultAuthority: String, configuredTenant: String?,
        transport: any HTTPTransport, timeout: Duration
    ) throws(AzureError) -> ClientSecretCredential {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let tenant = value("AZURE_TENANT_ID") ?? configuredTenant
        var missing: [String] = []
        if tenant == nil { missing.append("AZURE_TENANT_ID") }
        if value("AZURE_CLIENT_ID") == nil { missing.append("AZURE_CLIENT_ID") }
        if value("AZURE_CLIENT_SECRET") == nil { missing.append("AZURE_CLIENT_SECRET") }
        guard missing.isEmpty, let tenant, let client = value("AZURE_CLIENT_ID"), let secret = value("AZURE_CLIENT_SECRET") else {
            let secretOrCertificate = missing.map {
                $0 == "AZURE_CLIENT_SECRET" ? "AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH)" : $0
            }
            throw .credentialUnavailable(detail: "credential: environment needs \(secretOrCertificate.joined(separator: ", ")) to be set")
        }
        return ClientSecretCredential(
            authority: value("AZURE_AUTHORITY_HOST") ?? defaultAuthority, tenantID: tenant,
            clientID: client, clientSecret: Secret(secret), transport: transport, timeout: timeout)
    }
}
