import Foundation

/// A name with its display form: {"value": "BlobCount", "localizedValue": "Blob Count"}.
public struct LocalizedName: Sendable, Equatable, Decodable {
    public var value: String
    public var localizedValue: String?

    public init(value: String, localizedValue: String? = nil) {
        self.value = value
        self.localizedValue = localizedValue
    }
}

/// Azure Monitor's answer to a metrics query (`Response` in metrics_API.json).
public struct MetricsResponse: Sendable, Equatable, Decodable {
    /// What the query cost Azure (data points read); summed over split calls.
    public var cost: Int?
    /// "start/end" as Azure echoes it.
    public var timespan: String
    /// The grain Azure used (it may differ from the one asked for).
    public var interval: String?
    public var namespace: String?
    public var resourceregion: String?
    public var value: [Metric]

    public init(cost: Int?, timespan: String, interval: String?, namespace: String?, resourceregion: String?, value: [Metric]) {
        self.cost = cost
        self.timespan = timespan
        self.interval = interval
        self.namespace = namespace
        self.resourceregion = resourceregion
        self.value = value
    }

    /// The metric called `name` (Azure's names are case-insensitive).
    public func metric(_ name: String) -> Metric? {
        value.first { $0.name.value.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// Metrics that failed inside this 200 answer, with why.
    public var failures: [(name: String, reason: String)] {
        value.compactMap { m in m.failure.map { (m.name.value, $0) } }
    }
}

/// One metric's result. A 200 can carry a metric that failed on its own
/// (`errorCode` other than "Success", empty `timeseries`), as in Microsoft's
/// GetMetricError.json: read `failure` rather than assuming data.
public struct Metric: Sendable, Equatable, Decodable {
    public var id: String?
    public var type: String?
    public var name: LocalizedName
    public var displayDescription: String?
    /// Count, Bytes, Seconds, CountPerSecond, BytesPerSecond, Percent, MilliSeconds...
    public var unit: String
    public var errorCode: String?
    public var errorMessage: String?
    public var timeseries: [MetricTimeSeries]

    public init(
        id: String? = nil, type: String? = nil, name: LocalizedName, displayDescription: String? = nil, unit: String,
        errorCode: String? = nil, errorMessage: String? = nil, timeseries: [MetricTimeSeries]
    ) {
        self.id = id
        self.type = type
        self.name = name
        self.displayDescription = displayDescription
        self.unit = unit
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.timeseries = timeseries
    }

    enum CodingKeys: String, CodingKey {
        case id, type, name, displayDescription, unit, errorCode, errorMessage, timeseries
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        name = try c.decode(LocalizedName.self, forKey: .name)
        displayDescription = try c.decodeIfPresent(String.self, forKey: .displayDescription)
        unit = try c.decode(String.self, forKey: .unit)
        errorCode = try c.decodeIfPresent(String.self, forKey: .errorCode)
        errorMessage = try c.decodeIfPresent(String.self, forKey: .errorMessage)
        timeseries = try c.decodeIfPresent([MetricTimeSeries].self, forKey: .timeseries) ?? []
    }

    /// Why this metric has no data, when Azure said so ("InvalidSamplingType: Sampling type is not found...").
    public var failure: String? {
        guard let errorCode, errorCode.caseInsensitiveCompare("Success") != .orderedSame else { return nil }
        return errorMessage.map { "\(errorCode): \($0)" } ?? errorCode
    }

    /// The series whose dimension `name` has `value` (dimension names compared without case).
    public func series(where name: String, is value: String) -> MetricTimeSeries? {
        timeseries.first { $0.dimension(name) == value }
    }
}

public struct MetricTimeSeries: Sendable, Equatable, Decodable {
    /// The dimension values this series is for (empty for an unsplit metric).
    public var metadatavalues: [MetricMetadataValue]
    public var data: [MetricPoint]

    public init(metadatavalues: [MetricMetadataValue] = [], data: [MetricPoint]) {
        self.metadatavalues = metadatavalues
        self.data = data
    }

    enum CodingKeys: String, CodingKey { case metadatavalues, data }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadatavalues = try c.decodeIfPresent([MetricMetadataValue].self, forKey: .metadatavalues) ?? []
        data = try c.decodeIfPresent([MetricPoint].self, forKey: .data) ?? []
    }

    public func dimension(_ name: String) -> String? {
        metadatavalues.first { $0.name.value.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

public struct MetricMetadataValue: Sendable, Equatable, Decodable {
    public var name: LocalizedName
    public var value: String?

    public init(name: LocalizedName, value: String?) {
        self.name = name
        self.value = value
    }
}

/// One data point. Azure sends a point with only `timeStamp` where it has no
/// data (before a resource existed, after "now"): every value is optional.
public struct MetricPoint: Sendable, Equatable, Decodable {
    public var timeStamp: Date
    public var average: Double?
    public var minimum: Double?
    public var maximum: Double?
    public var total: Double?
    public var count: Double?

    public init(
        timeStamp: Date, average: Double? = nil, minimum: Double? = nil, maximum: Double? = nil, total: Double? = nil,
        count: Double? = nil
    ) {
        self.timeStamp = timeStamp
        self.average = average
        self.minimum = minimum
        self.maximum = maximum
        self.total = total
        self.count = count
    }

    enum CodingKeys: String, CodingKey { case timeStamp, average, minimum, maximum, total, count }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decode(String.self, forKey: .timeStamp)
        guard let date = AzureTimespan.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: .timeStamp, in: c, debugDescription: "'\(text)' is not an ISO 8601 time")
        }
        timeStamp = date
        average = try c.decodeIfPresent(Double.self, forKey: .average)
        minimum = try c.decodeIfPresent(Double.self, forKey: .minimum)
        maximum = try c.decodeIfPresent(Double.self, forKey: .maximum)
        total = try c.decodeIfPresent(Double.self, forKey: .total)
        count = try c.decodeIfPresent(Double.self, forKey: .count)
    }

    /// Whether the point carries any value at all.
    public var hasValue: Bool { average != nil || minimum != nil || maximum != nil || total != nil || count != nil }

    /// The value of an aggregation by Azure's name (Average, Minimum, Maximum, Total, Count; any case).
    public func value(_ aggregation: String) -> Double? {
        switch aggregation.lowercased() {
        case "average": average
        case "minimum": minimum
        case "maximum": maximum
        case "total": total
        case "count": count
        default: nil
        }
    }
}

/// The metrics batch API's answer: one entry per resource.
public struct MetricBatchResponse: Sendable, Equatable, Decodable {
    public var values: [MetricBatchResult]

    public init(values: [MetricBatchResult]) { self.values = values }

    /// The entry for a resource ID (compared without case, as ARM does).
    public func result(for resourceID: String) -> MetricBatchResult? {
        values.first { $0.resourceid?.caseInsensitiveCompare(resourceID) == .orderedSame }
    }
}

public struct MetricBatchResult: Sendable, Equatable, Decodable {
    public var starttime: String
    public var endtime: String
    public var interval: String?
    public var namespace: String?
    public var resourceregion: String?
    public var resourceid: String?
    public var value: [Metric]

    public init(
        starttime: String, endtime: String, interval: String?, namespace: String?, resourceregion: String?,
        resourceid: String?, value: [Metric]
    ) {
        self.starttime = starttime
        self.endtime = endtime
        self.interval = interval
        self.namespace = namespace
        self.resourceregion = resourceregion
        self.resourceid = resourceid
        self.value = value
    }

    public func metric(_ name: String) -> Metric? {
        value.first { $0.name.value.caseInsensitiveCompare(name) == .orderedSame }
    }
}

/// What a resource can report (MetricDefinitions_List).
public struct MetricDefinition: Sendable, Equatable, Decodable {
    public struct Availability: Sendable, Equatable, Decodable {
        public var timeGrain: String?
        public var retention: String?
    }

    public var id: String?
    public var resourceId: String?
    public var namespace: String?
    public var name: LocalizedName
    public var displayDescription: String?
    public var isDimensionRequired: Bool?
    public var unit: String?
    public var primaryAggregationType: String?
    public var supportedAggregationTypes: [String]?
    public var metricAvailabilities: [Availability]?
    public var dimensions: [LocalizedName]?
}

/// {"value": [MetricDefinition]}
struct MetricDefinitionCollection: Decodable {
    var value: [MetricDefinition]
}

extension AzureWireDecoding {
    public static func metrics(_ body: [UInt8]) throws -> MetricsResponse {
        try JSONDecoder().decode(MetricsResponse.self, from: body)
    }

    public static func metricBatch(_ body: [UInt8]) throws -> MetricBatchResponse {
        try JSONDecoder().decode(MetricBatchResponse.self, from: body)
    }

    public static func metricDefinitions(_ body: [UInt8]) throws -> [MetricDefinition] {
        try JSONDecoder().decode(MetricDefinitionCollection.self, from: body).value
    }

    /// Any error body an Azure API sends (ARM, Monitor's top-level
    /// {"code", "message"}, the data planes' nested innererror); nil if the body is none.
    public static func azureError(_ body: [UInt8]) -> (code: String?, message: String?)? {
        AzureErrorBody.decode(body)
    }
}
