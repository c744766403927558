/// A fault to inject into one emulated endpoint, so that demo, tests and
/// benchmarks exercise the real client code's failure paths.
public struct EndpointFault: Sendable, Equatable, Codable {
    /// Added before the response (or before the error).
    public var latencyMilliseconds: Int
    /// Answer with this HTTP status and an Azure-shaped error body.
    public var status: Int?
    /// Seconds for Retry-After (and Cost Management's own retry-after headers).
    public var retryAfterSeconds: Int?
    /// Which header carries `retryAfterSeconds`: nil sends Retry-After (and, on
    /// the cost endpoints, Cost Management's qpu header too); "standard" only
    /// Retry-After; qpu, entity, tenant, client or clienttype only
    /// x-ms-ratelimit-microsoft.costmanagement-{that}-retry-after, as Cost
    /// Management sometimes answers.
    public var retryHeader: String?

    public static let retryHeaderNames = ["standard", "qpu", "entity", "tenant", "client", "clienttype"]
    /// The longest Retry-After a fault may send: a day (larger waits only overflowed the millisecond header).
    public static let retryAfterRange = 0...86_400
    /// The longest added latency: ten minutes.
    public static let latencyRange = 0...600_000
    /// Answer 200 with a body cut off mid-JSON.
    public var malformedBody: Bool
    /// Answer 200 with an HTML page, as a captive portal or a proxy's login page does.
    public var wrongContentType: Bool
    /// Send the head with the whole body's Content-Length, then about three
    /// fifths of the body, then close: the connection drops mid-answer, as a
    /// proxy's timeout or a pod's eviction leaves it.
    public var truncatedBody: Bool
    /// Abort the connection (TCP RST) instead of answering, as a restarted
    /// load balancer or a killed upstream does.
    public var resetConnection: Bool
    /// Never answer while the fault is set.
    public var hang: Bool
    /// Apply to this many more requests, then clear itself (nil: until cleared).
    public var remaining: Int?

    public init(
        latencyMilliseconds: Int = 0, status: Int? = nil, retryAfterSeconds: Int? = nil,
        malformedBody: Bool = false, hang: Bool = false, remaining: Int? = nil, wrongContentType: Bool = false,
        retryHeader: String? = nil, truncatedBody: Bool = false, resetConnection: Bool = false
    ) {
        self.latencyMilliseconds = latencyMilliseconds
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds
        self.retryHeader = retryHeader
        self.malformedBody = malformedBody
        self.wrongContentType = wrongContentType
        self.truncatedBody = truncatedBody
        self.resetConnection = resetConnection
        self.hang = hang
        self.remaining = remaining
    }

    public static let none = EndpointFault()

    public var isNone: Bool { self == .none }

    enum CodingKeys: String, CodingKey {
        case latencyMilliseconds = "latency_ms"
        case status
        case retryAfterSeconds = "retry_after"
        case malformedBody = "malformed"
        case hang, remaining
        case wrongContentType = "wrong_content_type"
        case retryHeader = "retry_header"
        case truncatedBody = "truncated"
        case resetConnection = "reset"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        latencyMilliseconds = try c.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0
        status = try c.decodeIfPresent(Int.self, forKey: .status)
        retryAfterSeconds = try c.decodeIfPresent(Int.self, forKey: .retryAfterSeconds)
        malformedBody = try c.decodeIfPresent(Bool.self, forKey: .malformedBody) ?? false
        wrongContentType = try c.decodeIfPresent(Bool.self, forKey: .wrongContentType) ?? false
        truncatedBody = try c.decodeIfPresent(Bool.self, forKey: .truncatedBody) ?? false
        resetConnection = try c.decodeIfPresent(Bool.self, forKey: .resetConnection) ?? false
        hang = try c.decodeIfPresent(Bool.self, forKey: .hang) ?? false
        remaining = try c.decodeIfPresent(Int.self, forKey: .remaining)
        retryHeader = try c.decodeIfPresent(String.self, forKey: .retryHeader)
        if let retryAfterSeconds, !Self.retryAfterRange.contains(retryAfterSeconds) {
            throw DecodingError.dataCorruptedError(
                forKey: .retryAfterSeconds, in: c,
                debugDescription: "expected 0 to \(Self.retryAfterRange.upperBound) seconds")
        }
        if !Self.latencyRange.contains(latencyMilliseconds) {
            throw DecodingError.dataCorruptedError(
                forKey: .latencyMilliseconds, in: c,
                debugDescription: "expected 0 to \(Self.latencyRange.upperBound) milliseconds")
        }
        if let retryHeader, !Self.retryHeaderNames.contains(retryHeader) {
            throw DecodingError.dataCorruptedError(
                forKey: .retryHeader, in: c,
                debugDescription: "expected one of \(Self.retryHeaderNames.joined(separator: ", "))")
        }
    }

    /// The headers that say how long to wait.
    public func waitHeaders(for endpoint: EmulatedEndpoint) -> [(String, String)] {
        guard let seconds = retryAfterSeconds.map(String.init) else { return [] }
        func costManagement(_ scope: String) -> (String, String) {
            ("x-ms-ratelimit-microsoft.costmanagement-\(scope)-retry-after", seconds)
        }
        switch retryHeader {
        case nil:
            let costEndpoints: Set<EmulatedEndpoint> = [.costQuery, .costForecast]
            let openAIEndpoints: Set<EmulatedEndpoint> = [.openAIChat, .openAIEmbeddings]
            // Azure OpenAI sends the wait in milliseconds too.
            let milliseconds = openAIEndpoints.contains(endpoint) ? [("retry-after-ms", String((retryAfterSeconds ?? 0) * 1000))] : []
            return [("Retry-After", seconds)] + (costEndpoints.contains(endpoint) ? [costManagement("qpu")] : []) + milliseconds
        case "standard"?: return [("Retry-After", seconds)]
        case let scope?: return [costManagement(scope)]
        }
    }
}

/// The emulated endpoints; each takes its own faults and is counted apart.
public enum EmulatedEndpoint: String, Sendable, CaseIterable, Codable {
    /// Entra ID client-credentials token endpoint.
    case token
    /// Managed identity tokens (IMDS).
    case managedIdentity = "imds"
    /// Managed identity tokens (App Service and Container Apps' IDENTITY_ENDPOINT).
    case identityEndpoint = "identity"
    /// Cost Management query.
    case costQuery = "cost.query"
    /// Cost Management forecast.
    case costForecast = "cost.forecast"
    /// Microsoft.CostManagement budgets.
    case costBudgets = "cost.budgets"
    /// Microsoft.Consumption budgets.
    case consumptionBudgets = "consumption.budgets"
    /// Azure Monitor metrics at resource scope.
    case metrics
    /// Azure Monitor metrics batch (data plane).
    case metricsBatch = "metrics.batch"
    /// Azure Monitor metric definitions.
    case metricDefinitions = "metrics.definitions"
    /// Resource Manager's listing of a resource group's resources (Monitor discovery).
    case resources = "arm.resources"
    /// Key Vault secrets.
    case keyVault = "keyvault"
    /// Application Insights data plane (metrics and query).
    case appInsights = "appinsights"
    /// Log Analytics query.
    case logAnalytics = "loganalytics"
    /// MongoDB Atlas Admin API invoices.
    case atlasInvoices = "atlas.invoices"
    /// Azure OpenAI chat completions.
    case openAIChat = "openai.chat"
    /// Azure OpenAI embeddings.
    case openAIEmbeddings = "openai.embeddings"
    /// The local Ollama server, /api and /v1 alike.
    case ollama
}
