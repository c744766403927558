import Foundation
import Logging
import QLPCore
import QLPHTTP

/// Reads Azure Monitor platform metrics: per resource through Resource
/// Manager (`metrics`, `definitions`), or for many resources at once through
/// the regional metrics data plane (`batch`, its own token scope).
public struct MonitorMetricsClient: Sendable {
    public var transport: any HTTPTransport
    public var tokens: TokenCache
    /// Resource Manager base URL, e.g. https://management.azure.com.
    public var management: String
    public var managementScope: String
    public var timeout: Duration
    public var logger: Logger

    /// The metrics data plane's token scope (not Resource Manager's).
    public static let batchScope = "https://metrics.monitor.azure.com/.default"
    /// Azure takes at most 20 metric names per call.
    public static let maxNamesPerCall = 20
    /// ...and at most 50 resources per batch call.
    public static let maxResourcesPerBatch = 50

    static let service = "Azure Monitor"
    static let batchService = "Azure Monitor metrics batch"

    public init(
        transport: any HTTPTransport, tokens: TokenCache, management: String,
        managementScope: String = "https://management.azure.com/.default", timeout: Duration = .seconds(30),
        logger: Logger = Logger(label: "qlp.azure.monitor")
    ) {
        self.transport = transport
        self.tokens = tokens
        self.management = BearerJSONCall.trimmed(management)
        self.managementScope = managementScope
        self.timeout = timeout
        self.logger = logger
    }

    /// The regional metrics endpoint, e.g. https://uksouth.metrics.monitor.azure.com
    /// ("global" for global resources such as Front Door).
    public static func batchEndpoint(region: String) -> String {
        "https://\(region.lowercased()).metrics.monitor.azure.com"
    }

    var arm: BearerJSONCall {
        BearerJSONCall(transport: transport, tokens: tokens, scope: managementScope, service: Self.service, timeout: timeout)
    }

    /// Metrics of one resource over `timespan`. More than 20 names are asked
    /// in several calls and merged in the order given. A metric Azure could
    /// not answer is in the result with its `failure`; the call fails only
    /// when Azure refuses the whole request (e.g. an unknown metric name: 400).
    /// - Parameters:
    ///   - aggregation: Average, Minimum, Maximum, Total, Count (empty: each metric's primary one).
    ///   - interval: ISO 8601 grain ("PT1M", "PT1H", "P1D") or "FULL".
    ///   - filter: a dimension filter, e.g. "ModelDeploymentName eq '*'".
    ///   - namespace: the metric namespace when not the resource's default
    ///     (App Insights custom metrics: "azure.applicationinsights").
    public func metrics(
        resourceID: String, names: [String], aggregation: [String] = [], interval: String = "PT1H",
        timespan: (Date, Date), filter: String? = nil, namespace: String? = nil, top: Int? = nil,
        apiVersion: String = "2024-02-01"
    ) async throws(AzureError) -> MetricsResponse {
        guard !names.isEmpty else {
            return MetricsResponse(
                cost: 0, timespan: AzureTimespan.between(timespan.0, timespan.1), interval: interval,
                namespace: namespace, resourceregion: nil, value: [])
        }
        let base = "\(management)/\(BearerJSONCall.path(resourceID))/providers/Microsoft.Insights/metrics"
        var merged: MetricsResponse?
        for chunk in Self.chunks(names, of: Self.maxNamesPerCall) {
            let query = BearerJSONCall.query([
                ("api-version", apiVersion), ("timespan", AzureTimespan.between(timespan.0, timespan.1)), ("interval", interval),
                ("metricnames", chunk.joined(separator: ",")),
                ("aggregation", aggregation.isEmpty ? nil : aggregation.joined(separator: ",")),
                ("$filter", filter), ("metricnamespace", namespace), ("top", top.map(String.init)),
            ])
            let part = try await arm.get(MetricsResponse.self, url: "\(base)?\(query)")
            if var so = merged {
                so.value += part.value
                so.cost = (so.cost ?? 0).adding(saturating: part.cost ?? 0)
                merged = so
            } else {
                merged = part
            }
        }
        let result = merged!
        logger.debug(
            "metrics",
            metadata: [
                "resource": "\(resourceID)", "metrics": "\(result.value.count)",
                "failed": "\(result.failures.count)",
            ])
        return result
    }

    /// The same metrics for many resources of one namespace, from the regional
    /// metrics data plane (POST {endpoint}/subscriptions/{id}/metrics:getBatch).
    /// More than 50 resources or 20 names are split into several calls; the
    /// result has one entry per resource, in the order given.
    public func batch(
        endpoint: String, subscriptionID: String, resourceIDs: [String], namespace: String, names: [String],
        aggregation: [String] = [], interval: String = "PT1H", start: Date, end: Date, filter: String? = nil,
        top: Int? = nil, apiVersion: String = "2024-02-01"
    ) async throws(AzureError) -> MetricBatchResponse {
        let url = "\(BearerJSONCall.trimmed(endpoint))/subscriptions/\(FormEncoding.escape(subscriptionID))/metrics:getBatch"
        // Every (resources x names) chunk is its own call; they run together,
        // and the transport keeps them within the per-host limit.
        var calls: [(resources: [String], body: [UInt8], url: String)] = []
        for resources in Self.chunks(resourceIDs, of: Self.maxResourcesPerBatch) {
            for chunk in Self.chunks(names, of: Self.maxNamesPerCall) {
                let query = BearerJSONCall.query([
                    ("api-version", apiVersion), ("starttime", AzureTimespan.instant(start, milliseconds: true)),
                    ("endtime", AzureTimespan.instant(end, milliseconds: true)), ("interval", interval),
                    ("metricnamespace", namespace), ("metricnames", chunk.joined(separator: ",")),
                    ("aggregation", aggregation.isEmpty ? nil : aggregation.joined(separator: ",")),
                    ("filter", filter), ("top", top.map(String.init)),
                ])
                let body =
                    Array(#"{"resourceids":["#.utf8) + Array(resources.map(JSONText.quoted).joined(separator: ",").utf8)
                    + Array("]}".utf8)
                calls.append((resources, body, "\(url)?\(query)"))
            }
        }
        let parts: [(Int, Result<MetricBatchResponse, AzureError>)] = await withTaskGroup(
            of: (Int, Result<MetricBatchResponse, AzureError>).self
        ) { group in
            for (index, call) in calls.enumerated() {
                group.addTask { [call] in
                    do {
                        return (
                            index,
                            .success(
                                try await BearerJSONCall(
                                    transport: transport, tokens: tokens, scope: Self.batchScope,
                                    service: Self.batchService, timeout: timeout
                                )
                                .post(MetricBatchResponse.self, url: call.url, json: call.body))
                        )
                    } catch let error as AzureError {
                        return (index, .failure(error))
                    } catch {
                        return (index, .failure(.paging(service: Self.batchService, detail: "\(error)")))
                    }
                }
            }
            var all: [(Int, Result<MetricBatchResponse, AzureError>)] = []
            for await part in group { all.append(part) }
            return all.sorted { $0.0 < $1.0 }
        }
        var order: [String] = []
        var byResource: [String: MetricBatchResult] = [:]
        for (index, result) in parts {
            let part = try result.get()
            let resources = calls[index].resources
            for (i, entry) in part.values.enumerated() {
                let key = (entry.resourceid ?? (i < resources.count ? resources[i] : "#\(order.count)")).lowercased()
                if var existing = byResource[key] {
                    existing.value += entry.value
                    byResource[key] = existing
                } else {
                    byResource[key] = entry
                    order.append(key)
                }
            }
        }
        // Back in the order asked for; an index table keeps this linear at 1,000 resources.
        var position: [String: Int] = [:]
        for (index, id) in resourceIDs.enumerated() { position[id.lowercased()] = position[id.lowercased()] ?? index }
        let sorted = order.enumerated()
            .sorted { (position[$0.element] ?? .max, $0.offset) < (position[$1.element] ?? .max, $1.offset) }
            .map(\.element)
        return MetricBatchResponse(values: sorted.compactMap { byResource[$0] })
    }

    /// What metrics a resource has (names, units, aggregations, dimensions).
    public func definitions(
        resourceID: String, namespace: String? = nil,
        apiVersion: String = "2024-02-01"
    ) async throws(AzureError) -> [MetricDefinition] {
        let query = BearerJSONCall.query([("api-version", apiVersion), ("metricnamespace", namespace)])
        let url = "\(management)/\(BearerJSONCall.path(resourceID))/providers/Microsoft.Insights/metricDefinitions?\(query)"
        return try await arm.get(MetricDefinitionCollection.self, url: url).value
    }

    static func chunks<T>(_ items: [T], of size: Int) -> [[T]] {
        stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min(items.count, $0 + size)]) }
    }
}
