/// How qlp reaches Azure: the `azure` section of the config.
public struct AzureSettings: Sendable, Equatable {
    public var tenantID: String
    public var subscriptionID: String
    public var resourceGroup: String
    public var credential: AzureCredentialSource
    public var endpoints: AzureEndpoints
    /// Cost Management `api-version` for query calls.
    public var costManagementAPIVersion: String

    public init(tenantID: String, subscriptionID: String, resourceGroup: String, credential: AzureCredentialSource,
                endpoints: AzureEndpoints = .publicCloud, costManagementAPIVersion: String = "2023-03-01") {
        self.tenantID = tenantID
        self.subscriptionID = subscriptionID
        self.resourceGroup = resourceGroup
        self.credential = credential
        self.endpoints = endpoints
        self.costManagementAPIVersion = costManagementAPIVersion
    }

    /// The Cost Management scope qlp queries: the subscription.
    public var costScope: String { "subscriptions/\(subscriptionID)" }
}

/// Where Azure credentials come from.
public enum AzureCredentialSource: Sendable, Equatable {
    /// AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (and
    /// AZURE_AUTHORITY_HOST), read when a token is first needed, as the Azure SDKs do.
    case environment
    /// A service principal given in config (secret usually through ${ENV}).
    case clientSecret(clientID: String, secret: Secret)
}

/// Base URLs of the Azure services qlp calls. Overridable so the emulator (or
/// a sovereign cloud) can stand in.
public struct AzureEndpoints: Sendable, Equatable {
    /// Entra ID authority host, e.g. https://login.microsoftonline.com.
    public var authority: String
    /// Azure Resource Manager, e.g. https://management.azure.com.
    public var management: String

    public init(authority: String, management: String) {
        self.authority = Self.trimmed(authority)
        self.management = Self.trimmed(management)
    }

    public static let publicCloud = AzureEndpoints(authority: "https://login.microsoftonline.com",
                                                   management: "https://management.azure.com")

    /// The token scope for Resource Manager calls.
    public var managementScope: String { "https://management.azure.com/.default" }

    private static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
