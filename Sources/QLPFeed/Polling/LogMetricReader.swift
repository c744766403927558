import Foundation
import QLPAzure
import QLPCore

/// Reads the metrics that are logged rather than emitted: runs each
/// configured query over the Monitor view's window and buckets its points
/// into a row like any Azure Monitor metric. A failing query marks its own
/// row with the reason; the other rows are unaffected.
public struct LogMetricReader: Sendable {
    public var appInsights: AppInsightsClient
    public var logAnalytics: LogAnalyticsClient

    public init(appInsights: AppInsightsClient, logAnalytics: LogAnalyticsClient) {
        self.appInsights = appInsights
        self.logAnalytics = logAnalytics
    }

    /// What one query gave: the series, or why there is none.
    public enum Outcome: Sendable {
        case series(LogMetricSeries)
        case service(AzureError)
        case shape(LogMetricShapeError)
    }

    public func read(_ metric: MonitorSettings.LogMetric, from start: Date, to end: Date) async -> Outcome {
        let timespan = AzureTimespan.between(start, end)
        let result: LogQueryResult
        do {
            switch metric.source {
            case .appInsights(let app): result = try await appInsights.query(appID: app, metric.query, timespan: timespan)
            case .logAnalytics(let workspace):
                result = try await logAnalytics.query(workspaceID: workspace, metric.query, timespan: timespan)
            }
        } catch {
            return .service(error)
        }
        guard let table = result.primary else { return .shape(.noTable) }
        do {
            return .series(try LogMetricSeries.read(table))
        } catch {
            return .shape(error)
        }
    }

    /// The row the Monitor view draws: `window` seconds of complete columns
    /// before `end` on the view's grid of `viewGrain` seconds, like the Azure
    /// Monitor rows. A coarser metric grain (custom metrics come per 15
    /// minutes) fills each of its view columns with its one value, so every
    /// row shares one time axis. A bucket still running at `end` is left out
    /// (its sum or average is of part of the interval), so the latest value
    /// is the last complete bucket's.
    public func row(_ metric: MonitorSettings.LogMetric, end: Date, window: TimeInterval, viewGrain: TimeInterval) async -> MetricRow {
        let grain = max(viewGrain, Self.seconds(metric.grain))
        let columns = max(1, Int(window / viewGrain))
        func floor(_ date: Date, _ step: TimeInterval) -> Date {
            Date(timeIntervalSince1970: (date.timeIntervalSince1970 / step).rounded(.down) * step)
        }
        // The last column is the last one complete at `end`; buckets align to their grain as Azure's do.
        let firstColumn = floor(end, viewGrain).addingTimeInterval(-Double(columns) * viewGrain)
        let firstBucket = floor(firstColumn, grain)
        let bucketCount = Int((end.timeIntervalSince(firstBucket) / grain).rounded(.down)) + 1
        let label = metric.source.label
        let measure = MetricMeasure(
            azureUnit: metric.unit, aggregation: Self.aggregation(metric.aggregation), interval: grain, name: metric.name)
        func complete(_ bucket: Int) -> Bool { firstBucket.addingTimeInterval(Double(bucket + 1) * grain) <= end }
        switch await read(metric, from: firstBucket, to: end) {
        case .series(let series):
            let buckets = series.buckets(from: firstBucket, grain: grain, count: bucketCount, aggregation: metric.aggregation)
                .enumerated().map { complete($0.offset) ? $0.element : nil }
            let values: [Double?] = (0..<columns).map { column in
                let index = Int(firstColumn.addingTimeInterval(Double(column) * viewGrain).timeIntervalSince(firstBucket) / grain)
                return index < buckets.count ? buckets[index] : nil
            }
            let latest = buckets.lastIndex { $0 != nil }
            return MetricRow(
                resource: label, metric: metric.name, unit: metric.unit, latest: latest.flatMap { buckets[$0] },
                latestAt: latest.map { firstBucket.addingTimeInterval(Double($0) * grain) }, series: values,
                failure: series.points.isEmpty ? "the query returned no points in the last \(Int(window / 3600)) hours" : nil,
                measure: measure)
        case .service(let error):
            return MetricRow(
                resource: label, metric: metric.name, unit: metric.unit, latest: nil, latestAt: nil, series: [],
                failure: error.summary, measure: measure)
        case .shape(let error):
            return MetricRow(
                resource: label, metric: metric.name, unit: metric.unit, latest: nil, latestAt: nil, series: [],
                failure: error.description, measure: measure)
        }
    }

    static func aggregation(_ a: MonitorSettings.LogMetric.Aggregation) -> MetricMeasure.Aggregation {
        switch a {
        case .average: .average
        case .sum: .total
        case .minimum: .minimum
        case .maximum: .maximum
        case .count: .count
        }
    }

    static func seconds(_ d: Duration) -> TimeInterval {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
