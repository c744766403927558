import Foundation

/// What a metric's numbers are: Azure's unit, and whether each point is an
/// amount over its interval (Total, Count: "1,667 requests per 5 minutes")
/// or a level within it (Average, Minimum, Maximum: "27.6 %").
///
/// Azure's unit is sometimes more generic than the metric: Container
/// Instances report `CpuUsage` as Count "in millicores" and
/// `NetworkBytesReceivedPerSecond` as Bytes. The definition's own name and
/// description say what the number is, so they refine the unit; nothing is
/// guessed beyond what the definition states.
public struct MetricMeasure: Sendable, Equatable {
    public enum Unit: Sendable, Equatable {
        case count, bytes, bits, seconds, milliSeconds, percent
        case countPerSecond, bytesPerSecond, bitsPerSecond
        case cores, milliCores, nanoCores, byteSeconds
        /// "Unspecified", or a unit newer than this code: shown as Azure names it.
        case other(String)
    }

    public enum Aggregation: String, Sendable, Equatable, CaseIterable {
        case average, minimum, maximum, total, count

        /// Azure's name in any case ("Total", "average"); nil for anything else.
        public init?(azureName: String) {
            self.init(rawValue: azureName.lowercased())
        }
    }

    public var unit: Unit
    /// The aggregation the values are; nil when not known (points kept from an earlier run).
    public var aggregation: Aggregation?
    /// Seconds each value covers (the grain): what "per interval" means.
    public var interval: TimeInterval

    public init(unit: Unit, aggregation: Aggregation?, interval: TimeInterval) {
        self.unit = unit
        self.aggregation = aggregation
        self.interval = interval
    }

    /// The measure of a metric from Azure's unit ("Count", "BytesPerSecond"…),
    /// refined by the definition's name and description where Azure's unit is generic.
    public init(azureUnit: String, aggregation: Aggregation?, interval: TimeInterval, name: String = "", description: String? = nil) {
        var unit = Self.unit(azureUnit)
        let words = (name + " " + (description ?? "")).lowercased()
        let perSecond = words.contains("persecond") || words.contains("per second") || words.contains("/sec")
        switch unit {
        case .count where words.contains("millicore"): unit = .milliCores
        case .count where words.contains("nanocore"): unit = .nanoCores
        case .count where perSecond: unit = .countPerSecond
        case .bytes where perSecond: unit = .bytesPerSecond
        case .bits where perSecond: unit = .bitsPerSecond
        default: break
        }
        // A Count aggregation counts samples or events, whatever the metric's unit.
        if aggregation == .count { unit = .count }
        self.init(unit: unit, aggregation: aggregation, interval: interval)
    }

    /// Azure's unit name (MetricUnit in metricDefinitions_API.json), compared without case.
    public static func unit(_ azure: String) -> Unit {
        switch azure.lowercased() {
        case "count": .count
        case "bytes": .bytes
        case "bits": .bits
        case "seconds": .seconds
        case "milliseconds": .milliSeconds
        case "percent": .percent
        case "countpersecond": .countPerSecond
        case "bytespersecond": .bytesPerSecond
        case "bitspersecond": .bitsPerSecond
        case "cores": .cores
        case "millicores": .milliCores
        case "nanocores": .nanoCores
        case "byteseconds": .byteSeconds
        default: .other(azure)
        }
    }

    /// The values are amounts summed over each interval, not levels: a partial
    /// interval's value is too small, and the unit is "per interval".
    public var isPerInterval: Bool {
        guard aggregation == .total || aggregation == .count else { return false }
        switch unit {
        case .count, .bytes, .bits, .seconds, .milliSeconds, .byteSeconds, .other: return true
        case .percent, .countPerSecond, .bytesPerSecond, .bitsPerSecond, .cores, .milliCores, .nanoCores: return false
        }
    }
}

extension MetricPoint {
    /// Which aggregation a point carries when none was asked for: Azure
    /// returns the primary one, and exactly one is filled in.
    public var filledAggregation: MetricMeasure.Aggregation? {
        if average != nil { return .average }
        if total != nil { return .total }
        if maximum != nil { return .maximum }
        if count != nil { return .count }
        if minimum != nil { return .minimum }
        return nil
    }
}
