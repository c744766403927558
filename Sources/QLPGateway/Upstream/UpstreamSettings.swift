import QLPCore

/// What the adapters need beyond a target: Azure OpenAI's api-version and key.
public struct UpstreamSettings: Sendable {
    public var azureAPIVersion: String
    /// Sent as the `api-key` header to Azure OpenAI targets; never logged.
    public var azureAPIKey: Secret?
    /// Connections kept per upstream host.
    public var connectionsPerHost: Int
    /// Largest non-streaming upstream body the gateway reads.
    public var maxResponseBytes: Int

    public init(azureAPIVersion: String = "2024-10-21", azureAPIKey: Secret? = nil, connectionsPerHost: Int = 64,
                maxResponseBytes: Int = 64 << 20) {
        self.azureAPIVersion = azureAPIVersion
        self.azureAPIKey = azureAPIKey
        self.connectionsPerHost = connectionsPerHost
        self.maxResponseBytes = maxResponseBytes
    }

    public init(azureOpenAI: AzureOpenAISettings?) {
        self.init(azureAPIVersion: azureOpenAI?.apiVersion ?? "2024-10-21", azureAPIKey: azureOpenAI?.apiKey)
    }
}
