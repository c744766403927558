/// The seed's `azure_openai` section: the resource and its deployments.
public struct AzureOpenAISettings: Sendable, Equatable {
    public var endpoint: String
    public var apiVersion: String
    /// Logical name -> model, e.g. gpt4_turbo -> gpt-4-turbo-preview.
    public var models: [String: String]
    /// Logical name -> deployment, e.g. gpt4 -> gpt4-deployment.
    public var deploymentNames: [String: String]
    public var apiKey: Secret?

    public init(endpoint: String, apiVersion: String, models: [String: String], deploymentNames: [String: String], apiKey: Secret?) {
        self.endpoint = endpoint
        self.apiVersion = apiVersion
        self.models = models
        self.deploymentNames = deploymentNames
        self.apiKey = apiKey
    }
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

/// The seed's `mongodb_atlas` section.
public struct MongoDBAtlasSettings: Sendable, Equatable {
    /// Optional: qlp reads Atlas billing, not the database.
    public var connectionString: Secret?
    public var databases: [String: String]
    public var collections: [String: String]

    public init(connectionString: Secret?, databases: [String: String], collections: [String: String]) {
        self.connectionString = connectionString
        self.databases = databases
        self.collections = collections
    }
}
