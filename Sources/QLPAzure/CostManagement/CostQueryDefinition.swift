import Foundation
import QLPCore

/// The body of a Cost Management query (QueryDefinition), as Microsoft's
/// examples write it.
public struct CostQueryDefinition: Sendable, Equatable, Encodable {
    public enum CostType: String, Sendable, Encodable {
        case actualCost = "ActualCost"
        case amortizedCost = "AmortizedCost"
        case usage = "Usage"
    }
    public enum Timeframe: String, Sendable, Encodable {
        case monthToDate = "MonthToDate"
        case theLastMonth = "TheLastMonth"
        case custom = "Custom"
    }
    public enum Granularity: String, Sendable, Encodable {
        case daily = "Daily"
        case monthly = "Monthly"
        case none = "None"
    }

    public struct TimePeriod: Sendable, Equatable, Encodable {
        public var from: String
        public var to: String
    }

    public struct Aggregation: Sendable, Equatable, Encodable {
        public var name: String
        public var function: String
    }

    public struct Grouping: Sendable, Equatable, Encodable {
        public var type: String
        public var name: String
    }

    public struct Dataset: Sendable, Equatable, Encodable {
        public var granularity: Granularity
        public var aggregation: [String: Aggregation]
        public var grouping: [Grouping]
    }

    public var type: CostType
    public var timeframe: Timeframe
    public var timePeriod: TimePeriod?
    public var dataset: Dataset
    /// Forecast only: include actual cost for the days that have passed.
    public var includeActualCost: Bool?
    public var includeFreshPartialCost: Bool?

    /// Actual cost per day per service between two days (inclusive, UTC).
    public static func dailyCostByService(from: CivilDate, to: CivilDate) -> CostQueryDefinition {
        daily(from: from, to: to, grouping: [Grouping(type: "Dimension", name: "ServiceName")])
    }

    /// Actual cost per day per service and resource group (the API allows two groupings).
    public static func dailyCostByServiceAndResourceGroup(from: CivilDate, to: CivilDate) -> CostQueryDefinition {
        daily(
            from: from, to: to,
            grouping: [
                Grouping(type: "Dimension", name: "ServiceName"),
                Grouping(type: "Dimension", name: "ResourceGroup"),
            ])
    }

    /// Actual cost per day per value of one tag (rows without it come back with empty TagKey/TagValue).
    public static func dailyCostByTag(_ key: String, from: CivilDate, to: CivilDate) -> CostQueryDefinition {
        daily(from: from, to: to, grouping: [Grouping(type: "TagKey", name: key)])
    }

    static func daily(from: CivilDate, to: CivilDate, grouping: [Grouping]) -> CostQueryDefinition {
        CostQueryDefinition(
            type: .actualCost, timeframe: .custom,
            timePeriod: TimePeriod(from: "\(from.iso8601)T00:00:00+00:00", to: "\(to.iso8601)T23:59:59+00:00"),
            dataset: Dataset(
                granularity: .daily, aggregation: ["totalCost": Aggregation(name: "Cost", function: "Sum")],
                grouping: grouping), includeActualCost: nil, includeFreshPartialCost: nil)
    }

    /// Month to date, per day per service.
    public static let monthToDateByService = CostQueryDefinition(
        type: .actualCost, timeframe: .monthToDate, timePeriod: nil,
        dataset: Dataset(
            granularity: .daily, aggregation: ["totalCost": Aggregation(name: "Cost", function: "Sum")],
            grouping: [Grouping(type: "Dimension", name: "ServiceName")]), includeActualCost: nil, includeFreshPartialCost: nil)

    var jsonBody: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data())
    }
}
