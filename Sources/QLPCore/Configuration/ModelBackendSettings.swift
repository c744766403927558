/// The seed's `azure_openai` section: the resource and its deployments.
public struct AzureOpenAISettings: Sendable, Equatable {
    public var endpoint: String
    public var apiVersion: String
    /// Logical name -> model, e.g. gpt4_turbo -> gpt-4-turbo-preview.
    public var models: [String: String]
    /// Logical name -> deployment, e.g. gpt4 -> gpt4-deployment.
    public var deploymentNames: [String: String]
    public var apiKey: Secret?
    /// How requests prove themselves to the resource: its key, or an Entra ID token.
    public var auth: AzureOpenAIAuth

    public init(
        endpoint: String, apiVersion: String, models: [String: String], deploymentNames: [String: String], apiKey: Secret?,
        auth: AzureOpenAIAuth = .apiKey
    ) {
        self.endpoint = endpoint
        self.apiVersion = apiVersion
        self.models = models
        self.deploymentNames = deploymentNames
        self.apiKey = apiKey
        self.auth = auth
    }
}

/// `azure_openai.auth`: many tenants turn keys off (disableLocalAuth) and
/// take only Entra ID.
public enum AzureOpenAIAuth: String, Sendable, Equatable, CaseIterable {
    /// The `api-key` header with `api_key`.
    case apiKey = "api_key"
    /// `Authorization: Bearer` with a token for ``scope`` from the azure section's credential.
    case entra

    /// The token scope of Azure OpenAI (Cognitive Services).
    public static let scope = "https://cognitiveservices.azure.com/.default"
}

/// The seed's `ollama` section.
public struct OllamaSettings: Sendable, Equatable {
    public var endpoint: String
    public var models: [String]
    public var vpnConnection: String?
    public var fallbackToAzure: Bool

    public init(endpoint: String, models: [String], vpnConnection: String?, fallbackToAzure: Bool) {
        self.endpoint = endpoint
        self.models = models
        self.vpnConnection = vpnConnection
        self.fallbackToAzure = fallbackToAzure
    }
}

/// The seed's `mongodb_atlas` section, plus the Admin API key qlp reads
/// Atlas billing with.
public struct MongoDBAtlasSettings: Sendable, Equatable {
    /// Optional: qlp reads Atlas billing, not the database.
    public var connectionString: Secret?
    public var databases: [String: String]
    public var collections: [String: String]
    /// `admin_api`: nil when absent, or when its values are all empty (the
    /// example's `${ATLAS_PUBLIC_KEY:-}` with nothing set), meaning Atlas
    /// billing is not read.
    public var adminAPI: AtlasAdminAPISettings?

    public init(
        connectionString: Secret?, databases: [String: String], collections: [String: String],
        adminAPI: AtlasAdminAPISettings? = nil
    ) {
        self.connectionString = connectionString
        self.databases = databases
        self.collections = collections
        self.adminAPI = adminAPI
    }
}

/// `mongodb_atlas.admin_api`: an Atlas organisation API key (HTTP Digest)
/// with the Organization Billing Viewer role, for the invoices endpoints.
public struct AtlasAdminAPISettings: Sendable, Equatable {
    /// The organisation's 24-hex-digit ID.
    public var orgID: String
    /// The key's public part (the digest user name).
    public var publicKey: String
    /// The key's private part (the digest password), normally "${ATLAS_PRIVATE_KEY}".
    public var privateKey: Secret
    /// Without a trailing slash; https://cloud.mongodb.com unless set.
    public var baseURL: String

    public static let defaultBaseURL = "https://cloud.mongodb.com"

    public init(orgID: String, publicKey: String, privateKey: Secret, baseURL: String = AtlasAdminAPISettings.defaultBaseURL) {
        self.orgID = orgID
        self.publicKey = publicKey
        self.privateKey = privateKey
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
    }
}
