import Foundation
import Logging
import QLPHTTP

/// The Application Insights data plane (api.applicationinsights.io/v1):
/// pre-aggregated metrics and Kusto queries against one application.
public struct AppInsightsClient: Sendable {
    public var transport: any HTTPTransport
    public var tokens: TokenCache
    /// e.g. https://api.applicationinsights.io
    public var endpoint: String
    public var timeout: Duration
    public var logger: Logger

    public static let scope = "https://api.applicationinsights.io/.default"
    public static let publicEndpoint = "https://api.applicationinsights.io"
    static let service = "Application Insights"

    public init(
        transport: any HTTPTransport, tokens: TokenCache, endpoint: String = AppInsightsClient.publicEndpoint,
        timeout: Duration = .seconds(30), logger: Logger = Logger(label: "qlp.azure.appinsights")
    ) {
        self.transport = transport
        self.tokens = tokens
        self.endpoint = BearerJSONCall.trimmed(endpoint)
        self.timeout = timeout
        self.logger = logger
    }

    private var call: BearerJSONCall {
        BearerJSONCall(transport: transport, tokens: tokens, scope: Self.scope, service: Self.service, timeout: timeout)
    }

    /// GET /v1/apps/{appId}/metrics/{metricId}.
    /// - Parameters:
    ///   - metricID: "requests/count", "requests/duration", "customMetrics/ai_model_response_time"...
    ///   - timespan: an ISO 8601 duration ("PT12H", the service's default) or "start/end" (`AzureTimespan.between`).
    ///   - interval: split the timespan into segments of this ISO 8601 duration.
    ///   - aggregation: sum, avg, count, min, max, unique (empty: the metric's default).
    ///   - segment: dimensions to segment by, e.g. ["operation/name"].
    public func metric(
        appID: String, metricID: String, timespan: String? = nil, interval: String? = nil,
        aggregation: [String] = [], segment: [String] = [], top: Int? = nil,
        filter: String? = nil
    ) async throws(AzureError) -> AppInsightsMetricResponse {
        // The metric ID keeps its slash in the path, as Microsoft's documented URLs write it.
        let path = metricID.split(separator: "/").map { FormEncoding.escape(String($0)) }.joined(separator: "/")
        let query = BearerJSONCall.query([
            ("timespan", timespan), ("interval", interval), ("aggregation", aggregation.isEmpty ? nil : aggregation.joined(separator: ",")),
            ("segment", segment.isEmpty ? nil : segment.joined(separator: ",")), ("top", top.map(String.init)), ("filter", filter),
        ])
        let url = "\(endpoint)/v1/apps/\(FormEncoding.escape(appID))/metrics/\(path)" + (query.isEmpty ? "" : "?\(query)")
        return try await call.get(AppInsightsMetricResponse.self, url: url)
    }

    /// Runs a Kusto query: POST /v1/apps/{appId}/query with {"query", "timespan"},
    /// or GET with both in the query string (`method: .get`).
    public func query(
        appID: String, _ text: String, timespan: String? = nil,
        method: HTTPMethod = .post
    ) async throws(AzureError) -> LogQueryResult {
        let url = "\(endpoint)/v1/apps/\(FormEncoding.escape(appID))/query"
        if method == .get {
            return try await call.get(LogQueryResult.self, url: "\(url)?\(BearerJSONCall.query([("query", text), ("timespan", timespan)]))")
        }
        return try await call.post(LogQueryResult.self, url: url, json: QueryBody(query: text, timespan: timespan).json)
    }
}

/// Log Analytics queries (api.loganalytics.io/v1/workspaces/{id}/query).
public struct LogAnalyticsClient: Sendable {
    public var transport: any HTTPTransport
    public var tokens: TokenCache
    /// e.g. https://api.loganalytics.io
    public var endpoint: String
    public var timeout: Duration

    public static let scope = "https://api.loganalytics.io/.default"
    public static let publicEndpoint = "https://api.loganalytics.io"
    static let service = "Log Analytics"

    public init(
        transport: any HTTPTransport, tokens: TokenCache, endpoint: String = LogAnalyticsClient.publicEndpoint,
        timeout: Duration = .seconds(60)
    ) {
        self.transport = transport
        self.tokens = tokens
        self.endpoint = BearerJSONCall.trimmed(endpoint)
        self.timeout = timeout
    }

    /// POST /v1/workspaces/{workspaceId}/query with {"query", "timespan"}.
    public func query(workspaceID: String, _ text: String, timespan: String? = nil) async throws(AzureError) -> LogQueryResult {
        let call = BearerJSONCall(transport: transport, tokens: tokens, scope: Self.scope, service: Self.service, timeout: timeout)
        return try await call.post(
            LogQueryResult.self, url: "\(endpoint)/v1/workspaces/\(FormEncoding.escape(workspaceID))/query",
            json: QueryBody(query: text, timespan: timespan).json)
    }
}

/// {"query": "...", "timespan": "PT12H"}
struct QueryBody: Encodable {
    var query: String
    var timespan: String?

    var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data())
    }
}
