import Foundation
import Logging
import QLPAzure
import QLPCore

/// One metric of one resource, as the Monitor view shows it.
public struct MetricRow: Sendable, Equatable {
    public var resource: String
    public var metric: String
    public var unit: String
    /// The most recent point that has a value, and when it was.
    public var latest: Double?
    public var latestAt: Date?
    /// Values over the window, oldest first (nil where Azure had no value).
    public var series: [Double?]
    /// Why Azure could not answer for this metric, if it could not.
    public var failure: String?

    public init(resource: String, metric: String, unit: String, latest: Double?, latestAt: Date?, series: [Double?], failure: String?) {
        self.resource = resource
        self.metric = metric
        self.unit = unit
        self.latest = latest
        self.latestAt = latestAt
        self.series = series
        self.failure = failure
    }
}

public struct MonitorPanel: Sendable {
    public var rows: [MetricRow]
    /// Resources whose whole request failed, with the reason.
    public var failedResources: [(name: String, reason: String)]

    public init(rows: [MetricRow], failedResources: [(name: String, reason: String)]) {
        self.rows = rows
        self.failedResources = failedResources
    }
}

/// Polls the configured Azure Monitor metrics: the last three hours in
/// five-minute points, each metric's primary aggregation. One resource's
/// failure marks that resource, not the whole panel.
public struct MetricsPoller: DashboardPoller {
    public var client: MonitorMetricsClient
    public var resources: [MonitorSettings.Resource]
    public var store: DashboardStateStore
    public var interval: Duration
    public var wake: WakeSignal
    public var clock: @Sendable () -> Date
    public var logger: Logger

    /// The window and grain the view draws.
    public static let window: TimeInterval = 3 * 3600
    public static let grain = "PT5M"

    public init(client: MonitorMetricsClient, resources: [MonitorSettings.Resource], store: DashboardStateStore, interval: Duration,
                wake: WakeSignal, clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "qlp.poller.metrics")) {
        self.client = client
        self.resources = resources
        self.store = store
        self.interval = interval
        self.wake = wake
        self.clock = clock
        self.logger = logger
    }

    public func run() async {
        guard !resources.isEmpty else { return }
        while !Task.isCancelled {
            await refresh()
            await wake.wait(for: interval)
        }
    }

    public func refresh() async {
        store.update { $0.monitor.refreshing = true }
        let end = clock()
        let start = end.addingTimeInterval(-Self.window)
        // Resources are polled together (the transport keeps per-host limits).
        let results = await withTaskGroup(of: (Int, Result<MetricsResponse, AzureError>).self) { group in
            for (index, resource) in resources.enumerated() {
                group.addTask {
                    do {
                        return (index, .success(try await client.metrics(resourceID: resource.id, names: resource.metrics, interval: Self.grain,
                                                                         timespan: (start, end), namespace: resource.namespace)))
                    } catch let error as AzureError {
                        return (index, .failure(error))
                    } catch {
                        return (index, .failure(.paging(service: "Azure Monitor", detail: "\(error)")))
                    }
                }
            }
            var all: [(Int, Result<MetricsResponse, AzureError>)] = []
            for await result in group { all.append(result) }
            return all.sorted { $0.0 < $1.0 }
        }
        var rows: [MetricRow] = []
        var failed: [(name: String, reason: String)] = []
        var firstError: AzureError?
        for (index, result) in results {
            let resource = resources[index]
            switch result {
            case .success(let response):
                for name in resource.metrics {
                    guard let metric = response.metric(name) else {
                        rows.append(MetricRow(resource: resource.name, metric: name, unit: "", latest: nil, latestAt: nil, series: [],
                                              failure: "not in Azure's answer"))
                        continue
                    }
                    rows.append(Self.row(resource: resource.name, metric: metric))
                }
            case .failure(let error):
                failed.append((resource.name, error.summary))
                firstError = firstError ?? error
                logger.warning("metrics failed", metadata: ["resource": "\(resource.name)", "error": "\(error)"])
            }
        }
        let now = clock()
        let panel = MonitorPanel(rows: rows, failedResources: failed)
        store.update { state in
            if rows.isEmpty, let firstError {
                state.monitor.fail(.init(summary: firstError.summary, detail: firstError.description, at: now,
                                         nextAttempt: now.addingTimeInterval(CostPoller.seconds(interval))))
            } else {
                state.monitor.succeed(panel, at: now)
            }
            state.monitor.refreshing = false
        }
    }

    static func row(resource: String, metric: Metric) -> MetricRow {
        let points = metric.timeseries.first?.data ?? []
        let values = points.map(Self.value)
        let latest = Array(zip(points, values)).last { $0.1 != nil }
        return MetricRow(resource: resource, metric: metric.name.value, unit: metric.unit, latest: latest?.1, latestAt: latest?.0.timeStamp,
                         series: values, failure: metric.failure)
    }

    /// The primary aggregation's value: whichever one Azure filled in.
    static func value(_ point: MetricPoint) -> Double? {
        point.average ?? point.total ?? point.maximum ?? point.count ?? point.minimum
    }
}
