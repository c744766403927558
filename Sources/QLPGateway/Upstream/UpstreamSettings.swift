import QLPCore
import QLPRouting

/// What the adapters need beyond a target: Azure OpenAI's api-version and key.
public struct UpstreamSettings: Sendable {
    public var azureAPIVersion: String
    /// Sent as the `api-key` header to Azure OpenAI targets; never logged.
    public var azureAPIKey: Secret?
    /// With `azure_openai.auth: entra`: the token sent as `Authorization:
    /// Bearer` to Azure OpenAI targets instead of any key.
    public var azureBearer: UpstreamBearer?
    /// Connections kept per upstream host.
    public var connectionsPerHost: Int
    /// Largest non-streaming upstream body the gateway reads.
    public var maxResponseBytes: Int
    /// Endpoints the route table names that stand for an address known only
    /// once this process runs (the demo's emulator listens on a new port each
    /// run), with that address. The table keeps the stand-in, so the stored
    /// routes do not change between runs; requests and probes go to the address.
    public var endpointStandIns: [String: String] = [:]

    public init(
        azureAPIVersion: String = "2024-10-21", azureAPIKey: Secret? = nil, connectionsPerHost: Int = 64,
        maxResponseBytes: Int = 64 << 20
    ) {
        self.azureAPIVersion = azureAPIVersion
        self.azureAPIKey = azureAPIKey
        self.connectionsPerHost = connectionsPerHost
        self.maxResponseBytes = maxResponseBytes
    }

    /// Where requests to `target` go: its endpoint, or the address its stand-in stands for.
    public func liveEndpoint(of target: RouteTarget) -> String {
        endpointStandIns[target.endpoint] ?? target.endpoint
    }

    public init(azureOpenAI: AzureOpenAISettings?) {
        self.init(azureAPIVersion: azureOpenAI?.apiVersion ?? "2024-10-21", azureAPIKey: azureOpenAI?.apiKey)
    }
}
