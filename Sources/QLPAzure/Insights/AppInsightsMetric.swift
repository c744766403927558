import Foundation

/// Application Insights' metrics answer: {"value": {...}}.
public struct AppInsightsMetricResponse: Sendable, Equatable, Decodable {
    public var value: AppInsightsMetricNode

    public init(value: AppInsightsMetricNode) { self.value = value }
}

/// One level of an Application Insights metrics answer. The shape depends on
/// the request, and every level is read the same way:
///
/// - plain: {"start", "end", "requests/count": {"sum": 23}}
/// - with `interval`: {"start", "end", "interval", "segments": [{"start", "end", "requests/count": {...}}]}
/// - with `segment`: {"segments": [{"operation/name": "GET /", "segments": [{"requests/count": {...}, "request/success": false}]}]}
///
/// Keys holding an object of numbers are metrics; other scalars are the
/// dimension values of a segment. Microsoft's segmented example also has
/// leaves of the form {"requests/count": null, "sum": 156483}: the loose
/// numbers are that metric's aggregations, and are read as such.
public struct AppInsightsMetricNode: Sendable, Equatable, Decodable {
    public var start: String?
    public var end: String?
    public var interval: String?
    /// Metric ID -> aggregation (sum, avg, count, min, max, unique) -> value. Null values are left out.
    public var metrics: [String: [String: Double]]
    /// The segment's dimension values ("operation/name": "GET /", "request/success": "false").
    public var dimensions: [String: String]
    public var segments: [AppInsightsMetricNode]

    public init(
        start: String? = nil, end: String? = nil, interval: String? = nil, metrics: [String: [String: Double]] = [:],
        dimensions: [String: String] = [:], segments: [AppInsightsMetricNode] = []
    ) {
        self.start = start
        self.end = end
        self.interval = interval
        self.metrics = metrics
        self.dimensions = dimensions
        self.segments = segments
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        var metrics: [String: [String: Double]] = [:]
        var dimensions: [String: String] = [:]
        var loose: [String: Double] = [:]
        var nullMetrics: [String] = []
        segments = []
        for key in c.allKeys {
            switch key.stringValue {
            case "start": start = try c.decodeIfPresent(String.self, forKey: key)
            case "end": end = try c.decodeIfPresent(String.self, forKey: key)
            case "interval": interval = try c.decodeIfPresent(String.self, forKey: key)
            case "segments": segments = try c.decodeIfPresent([AppInsightsMetricNode].self, forKey: key) ?? []
            default:
                if try c.decodeNil(forKey: key) {
                    nullMetrics.append(key.stringValue)
                } else if let values = try? c.decode([String: Double?].self, forKey: key) {
                    metrics[key.stringValue] = values.compactMapValues { $0 }
                } else if let flag = try? c.decode(Bool.self, forKey: key) {
                    dimensions[key.stringValue] = flag ? "true" : "false"
                } else if let number = try? c.decode(Double.self, forKey: key) {
                    loose[key.stringValue] = number
                } else if let text = try? c.decode(String.self, forKey: key) {
                    dimensions[key.stringValue] = text
                } else {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: c,
                        debugDescription: "expected aggregations, a dimension value or segments")
                }
            }
        }
        if !loose.isEmpty {
            if nullMetrics.count == 1 { metrics[nullMetrics[0]] = loose } else { metrics[""] = loose }
        }
        self.metrics = metrics
        self.dimensions = dimensions
    }

    public var startDate: Date? { start.flatMap(AzureTimespan.parse) }
    public var endDate: Date? { end.flatMap(AzureTimespan.parse) }

    /// The aggregation of a metric at this level ("requests/count", "sum").
    public func value(_ metricID: String, _ aggregation: String) -> Double? {
        metrics[metricID]?[aggregation]
    }

    /// The sum of an aggregation over every leaf below (and at) this level.
    public func leafTotal(_ metricID: String, _ aggregation: String) -> Double {
        if segments.isEmpty { return value(metricID, aggregation) ?? 0 }
        return segments.reduce(0) { $0 + $1.leafTotal(metricID, aggregation) }
    }
}

extension AzureWireDecoding {
    public static func appInsightsMetric(_ body: [UInt8]) throws -> AppInsightsMetricResponse {
        try JSONDecoder().decode(AppInsightsMetricResponse.self, from: body)
    }
}
