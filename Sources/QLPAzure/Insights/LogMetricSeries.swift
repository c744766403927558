import Foundation
import QLPCore

/// A metric read from a log query's table: one column of instants, one of
/// numbers. Which columns is decided from the declared column types, so a
/// query can return a few extra columns; when that is ambiguous the error
/// says what to project.
public struct LogMetricSeries: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var at: Date
        public var value: Double

        public init(at: Date, value: Double) {
            self.at = at
            self.value = value
        }
    }

    /// Oldest first.
    public var points: [Point]
    public var timeColumn: String
    public var valueColumn: String
    /// Rows whose time or value was null or unreadable: left out, and counted.
    public var skippedRows: Int

    public init(points: [Point], timeColumn: String, valueColumn: String, skippedRows: Int) {
        self.points = points
        self.timeColumn = timeColumn
        self.valueColumn = valueColumn
        self.skippedRows = skippedRows
    }

    static let numericTypes: Set<String> = ["real", "int", "long", "decimal", "double"]
    /// Preferred when a table has more than one column of a kind (App Insights and Log Analytics names).
    static let preferredTime = ["timestamp", "TimeGenerated"]
    static let preferredValue = ["value"]

    public static func read(_ table: LogQueryTable) throws(LogMetricShapeError) -> LogMetricSeries {
        let names = table.columns.map(\.name)
        let times = table.columns.indices.filter { table.columns[$0].type?.lowercased() == "datetime" }
        let numbers = table.columns.indices.filter { Self.numericTypes.contains(table.columns[$0].type?.lowercased() ?? "") }
        guard let time = pick(times, preferred: preferredTime, in: table) else {
            throw times.isEmpty ? .noTimeColumn(columns: names) : .ambiguous(kind: "datetime", columns: times.map { names[$0] })
        }
        guard let value = pick(numbers, preferred: preferredValue, in: table) else {
            throw numbers.isEmpty ? .noValueColumn(columns: names) : .ambiguous(kind: "numeric", columns: numbers.map { names[$0] })
        }
        var points: [Point] = []
        var skipped = 0
        for row in table.rows {
            guard time < row.count, value < row.count, let at = row[time].date, let number = row[value].double, number.isFinite else {
                skipped += 1
                continue
            }
            points.append(Point(at: at, value: number))
        }
        points.sort { $0.at < $1.at }
        return LogMetricSeries(points: points, timeColumn: names[time], valueColumn: names[value], skippedRows: skipped)
    }

    private static func pick(_ candidates: [Int], preferred: [String], in table: LogQueryTable) -> Int? {
        if candidates.count == 1 { return candidates[0] }
        for name in preferred {
            if let match = candidates.first(where: { table.columns[$0].name.caseInsensitiveCompare(name) == .orderedSame }) { return match }
        }
        return nil
    }

    /// `count` buckets of `grain` seconds from `start`, each combining the
    /// points in [bucket start, bucket end); nil where a bucket has none.
    public func buckets(
        from start: Date, grain: TimeInterval, count: Int,
        aggregation: MonitorSettings.LogMetric.Aggregation
    ) -> [Double?] {
        guard grain > 0, count > 0 else { return [] }
        var groups = [[Double]](repeating: [], count: count)
        for point in points {
            let offset = point.at.timeIntervalSince(start)
            guard offset >= 0 else { continue }
            let index = Int(offset / grain)
            if index < count { groups[index].append(point.value) }
        }
        return groups.map { values in
            guard !values.isEmpty else { return nil }
            switch aggregation {
            case .average: return values.reduce(0, +) / Double(values.count)
            case .sum: return values.reduce(0, +)
            case .minimum: return values.min()
            case .maximum: return values.max()
            case .count: return Double(values.count)
            }
        }
    }
}

/// Why a query's result cannot be read as a metric, with what to change.
public enum LogMetricShapeError: Error, Sendable, Equatable, CustomStringConvertible {
    case noTable
    case noTimeColumn(columns: [String])
    case noValueColumn(columns: [String])
    case ambiguous(kind: String, columns: [String])

    public var description: String {
        let example = "e.g. customMetrics | where name == 'x' | project timestamp, value"
        switch self {
        case .noTable:
            return "the query returned no table"
        case .noTimeColumn(let columns):
            return "the query's result has no datetime column (it has \(columns.joined(separator: ", "))): \(example)"
        case .noValueColumn(let columns):
            return "the query's result has no numeric column (it has \(columns.joined(separator: ", "))): \(example)"
        case .ambiguous(let kind, let columns):
            return
                "the query's result has several \(kind) columns (\(columns.joined(separator: ", "))): project the one to chart, \(example)"
        }
    }
}
