import Foundation
import Logging
import QLPAzure
import QLPCore
import QLPStore

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
    /// Drawn from kept history alone (before the first fetch, or while its
    /// resource's fetch fails): the view marks the values as not current.
    public var fromHistory: Bool
    /// What the numbers are: `unit` refined by the metric's definition, the
    /// aggregation read and the interval each value covers.
    public var measure: MetricMeasure

    public init(
        resource: String, metric: String, unit: String, latest: Double?, latestAt: Date?, series: [Double?], failure: String?,
        fromHistory: Bool = false, measure: MetricMeasure? = nil
    ) {
        self.measure = measure ?? MetricMeasure(azureUnit: unit, aggregation: nil, interval: MetricsPoller.grainSeconds, name: metric)
        self.fromHistory = fromHistory
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
/// five-minute points, each metric's primary aggregation, through the batch
/// API where resources share a region, type and metric list; and the logged
/// metrics, through their queries. One resource's failure marks that
/// resource, not the whole panel.
public struct MetricsPoller: FeedPoller {
    public var client: MonitorMetricsClient
    public var resources: [MonitorSettings.Resource]
    /// Where resources without their own region are; nil: no batch calls for them.
    public var region: String?
    /// azure.endpoints.metrics_batch.
    public var endpoints: AzureEndpoints
    public var logMetrics: [MonitorSettings.LogMetric]
    public var logReader: LogMetricReader?
    public var store: any FeedStore
    public var interval: Duration
    public var wake: WakeSignal
    public var clock: @Sendable () -> Date
    public var logger: Logger
    /// Where fetched points are kept, so a restart shows them before the
    /// first fetch returns and the view can reach back past Azure's window.
    public var history: SQLiteSeriesHistory?
    /// Each resource's metric definitions, read once: what the numbers are.
    let definitionBook = MetricDefinitionBook()
    /// With azure.monitor.discover: the resource group listed hourly, its
    /// resources of known types read beside `resources` (which win by ID).
    public var discovery: MonitorDiscoveryScope?

    /// The window and grain the view draws.
    public static let window: TimeInterval = 3 * 3600
    public static let grain = "PT5M"
    public static let grainSeconds: TimeInterval = 300

    public init(
        client: MonitorMetricsClient, resources: [MonitorSettings.Resource], region: String? = nil,
        endpoints: AzureEndpoints = .publicCloud, logMetrics: [MonitorSettings.LogMetric] = [],
        logReader: LogMetricReader? = nil, store: any FeedStore, interval: Duration,
        wake: WakeSignal, clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "qlp.poller.metrics"),
        history: SQLiteSeriesHistory? = nil, discovery: MonitorDiscoveryScope? = nil
    ) {
        self.history = history
        self.discovery = discovery
        self.client = client
        self.resources = resources
        self.region = region
        self.endpoints = endpoints
        self.logMetrics = logReader == nil ? [] : logMetrics
        self.logReader = logReader
        self.store = store
        self.interval = interval
        self.wake = wake
        self.clock = clock
        self.logger = logger
    }

    /// The refresh schedule at start, at this poller's interval.
    public var startingSchedule: PollSchedule { PollSchedule(interval: interval) }

    public func run() async {
        guard !resources.isEmpty || !logMetrics.isEmpty || discovery != nil else { return }
        var schedule = startingSchedule
        var listing = DiscoverySchedule(interval: TimeInterval(MonitorDiscovery.refreshInterval.components.seconds))
        var current = self
        // The last listing's failure, while none has worked since.
        var listingFailure: AzureError?
        var first = true
        while !Task.isCancelled {
            if discovery != nil, listing.isDue(at: clock()) {
                switch await discover(&listing) {
                case .success(let listed):
                    current.resources = listed
                    listingFailure = nil
                case .failure(let error):
                    listingFailure = error
                }
            }
            if first {
                // Kept points of what is known now (discovered resources included), before the first fetch.
                current.loadHistory()
                first = false
            }
            if current.resources.isEmpty, current.logMetrics.isEmpty, let listingFailure {
                // Nothing to read until a listing works: the panel says why.
                await wake.wait(for: failed(listingFailure, schedule: &schedule))
                continue
            }
            await wake.wait(for: await current.refresh(schedule: &schedule))
        }
    }

    /// The configured resources with the resource group's, or why the listing
    /// failed (the resources known so far stay; it is asked again sooner).
    func discover(_ listing: inout DiscoverySchedule) async -> Result<[MonitorSettings.Resource], AzureError> {
        guard let discovery else { return .success(resources) }
        do {
            let listed = try await client.resources(subscriptionID: discovery.subscriptionID, resourceGroup: discovery.resourceGroup)
            listing.listed(at: clock())
            let plans = MonitorDiscovery.plans(listed)
            logger.info(
                "monitor discovery",
                metadata: [
                    "listed": "\(listed.count)", "watched": "\(plans.count)",
                    "resourceGroup": "\(discovery.resourceGroup)",
                ])
            return .success(MonitorDiscovery.merged(configured: resources, discovered: plans))
        } catch {
            listing.failed(at: clock())
            logger.warning("monitor discovery failed", metadata: ["resourceGroup": "\(discovery.resourceGroup)", "error": "\(error)"])
            return .failure(error)
        }
    }

    /// The panel shows the listing's failure; returns the wait before trying again.
    private func failed(_ error: AzureError, schedule: inout PollSchedule) -> Duration {
        let delay = schedule.failed(retryAfter: error.retryAfter)
        let now = clock()
        store.updateFeed { state in
            state.monitor.fail(
                .init(
                    summary: "listing \(discovery?.resourceGroup ?? "the resource group"): \(error.summary)",
                    detail: error.description, at: now,
                    nextAttempt: now.addingTimeInterval(CostPoller.seconds(delay)),
                    throttledUntil: error.retryAfter.map { now.addingTimeInterval(CostPoller.seconds($0)) }))
            state.monitor.refreshing = false
        }
        return delay
    }

    /// One refresh, outside any schedule (a test's, or a first look).
    public func refresh() async {
        var schedule = startingSchedule
        await refresh(schedule: &schedule)
    }

    /// One refresh; returns the wait before the next. Nothing fresh at all is
    /// a failure (backing off, or waiting out a throttle); one resource failing
    /// among others that answered is shown on its rows, and the pace holds.
    @discardableResult
    public func refresh(schedule: inout PollSchedule) async -> Duration {
        store.updateFeed { $0.monitor.refreshing = true }
        let end = clock()
        let start = end.addingTimeInterval(-Self.window)
        await readDefinitions()
        let results = await metrics(start: start, end: end)
        var rows: [MetricRow] = []
        var slotted: [SlottedRow] = []
        var failed: [(name: String, reason: String)] = []
        var firstError: AzureError?
        for (resource, result) in zip(resources, results) {
            switch result {
            case .success(let metrics):
                for name in resource.metrics {
                    guard let metric = metrics.first(where: { $0.name.value.caseInsensitiveCompare(name) == .orderedSame }) else {
                        rows.append(
                            MetricRow(
                                resource: resource.name, metric: name, unit: "", latest: nil, latestAt: nil, series: [],
                                failure: "not in Azure's answer"))
                        continue
                    }
                    let row = Self.row(
                        resource: resource.name, metric: metric, aggregation: resource.aggregation, end: end,
                        definition: definitionBook.definition(of: name, for: resource.id))
                    rows.append(row)
                    // Only complete intervals are kept: a partial one would be stored as if final.
                    let complete = Self.completePoints(metric.timeseries.first?.data ?? [], end: end)
                    let stamps = complete.map(\.timeStamp)
                    if let last = stamps.last {
                        let values = complete.map { Self.value($0, aggregation: resource.aggregation) }
                        // Only the points the row shows: Azure's inclusive edge (a 37th point) is not kept.
                        let from = Self.slot(last).addingTimeInterval(-Double(row.series.count - 1) * Self.grainSeconds)
                        slotted.append(
                            SlottedRow(
                                index: rows.count - 1, series: Self.seriesName(resource: resource.name, metric: name),
                                points: zip(stamps, values).compactMap { at, value in
                                    guard let value, Self.slot(at) >= from else { return nil }
                                    return SeriesPoint(at: Self.slot(at), value: value)
                                }, end: Self.slot(last)))
                    }
                }
            case .failure(let error):
                failed.append((resource.name, error.summary))
                // Its kept points stay on screen, marked, rather than the rows vanishing.
                rows += keptRows(resource.metrics.map { (resource: resource.name, metric: $0) }, end: Self.lastCompleteSlot(end))
                firstError = firstError ?? error
                logger.warning("metrics failed", metadata: ["resource": "\(resource.name)", "error": "\(error)"])
            }
        }
        for row in await logRows(end: end) {
            rows.append(row)
            guard row.failure == nil, !row.series.isEmpty else { continue }
            // The log rows' last column is the last complete one before `end`, one column per grain before it.
            let last = Self.lastCompleteSlot(end)
            let first = last.addingTimeInterval(-Double(row.series.count - 1) * Self.grainSeconds)
            slotted.append(
                SlottedRow(
                    index: rows.count - 1, series: Self.seriesName(resource: row.resource, metric: row.metric),
                    points: row.series.enumerated().compactMap { i, value in
                        value.map { SeriesPoint(at: first.addingTimeInterval(Double(i) * Self.grainSeconds), value: $0) }
                    }, end: last))
        }
        let now = clock()
        rows = withHistory(rows, slotted: slotted, now: now)
        let panel = MonitorPanel(rows: rows, failedResources: failed)
        let nothingFresh = rows.allSatisfy({ $0.failure != nil || $0.fromHistory }) && firstError != nil
        let delay = nothingFresh ? schedule.failed(retryAfter: firstError?.retryAfter) : schedule.succeeded()
        store.updateFeed { state in
            if nothingFresh, let firstError {
                // Nothing fresh: kept points (if any) stay on screen as cached, under the failure.
                if rows.contains(where: \.fromHistory) {
                    state.monitor.succeed(panel, at: rows.compactMap { $0.fromHistory ? $0.latestAt : nil }.max() ?? now, source: .cache)
                }
                state.monitor.fail(
                    .init(
                        summary: firstError.summary, detail: firstError.description, at: now,
                        nextAttempt: now.addingTimeInterval(CostPoller.seconds(delay)),
                        throttledUntil: firstError.retryAfter.map { now.addingTimeInterval(CostPoller.seconds($0)) }))
            } else {
                state.monitor.succeed(panel, at: now)
            }
            state.monitor.refreshing = false
        }
        return delay
    }

    /// Every resource's metrics, in config order. The calls run together (the
    /// transport keeps per-host limits); a batch call's failure is each of its
    /// resources' failure.
    private func metrics(start: Date, end: Date) async -> [Result<[Metric], AzureError>] {
        let calls = MetricsCallPlan.calls(for: resources, defaultRegion: region)
        let answers = await withTaskGroup(of: [(Int, Result<[Metric], AzureError>)].self) { group in
            for call in calls {
                group.addTask { await self.answer(call, start: start, end: end) }
            }
            var all: [(Int, Result<[Metric], AzureError>)] = []
            for await part in group { all += part }
            return all
        }
        var results = [Result<[Metric], AzureError>](repeating: .success([]), count: resources.count)
        for (index, result) in answers { results[index] = result }
        return results
    }

    private func answer(_ call: MetricsCall, start: Date, end: Date) async -> [(Int, Result<[Metric], AzureError>)] {
        switch call {
        case .single(let index):
            let resource = resources[index]
            do {
                let response = try await client.metrics(
                    resourceID: resource.id, names: resource.metrics,
                    aggregation: resource.aggregation.map { [$0] } ?? [], interval: Self.grain,
                    timespan: (start, end), filter: resource.filter, namespace: resource.namespace)
                return [(index, .success(response.value))]
            } catch {
                return [(index, .failure(error))]
            }
        case .batch(let region, let subscription, let namespace, let metrics, let members):
            // Members share aggregation and filter (the plan groups by them).
            let first = resources[members[0]]
            do {
                let response = try await client.batch(
                    endpoint: endpoints.metricsBatchURL(region: region), subscriptionID: subscription,
                    resourceIDs: members.map { resources[$0].id }, namespace: namespace,
                    names: metrics, aggregation: first.aggregation.map { [$0] } ?? [],
                    interval: Self.grain, start: start, end: end, filter: first.filter)
                return members.map { index in
                    guard let entry = response.result(for: resources[index].id) else {
                        return (
                            index,
                            .failure(
                                .malformedResponse(
                                    service: "Azure Monitor batch", endpoint: endpoints.metricsBatchURL(region: region),
                                    status: 200, detail: "no entry for \(resources[index].name)", excerpt: ""))
                        )
                    }
                    return (index, .success(entry.value))
                }
            } catch {
                return members.map { ($0, .failure(error)) }
            }
        }
    }

    /// The logged metrics' rows, in config order, read together.
    private func logRows(end: Date) async -> [MetricRow] {
        guard let logReader, !logMetrics.isEmpty else { return [] }
        let window = Self.window
        return await withTaskGroup(of: (Int, MetricRow).self) { group in
            for (index, metric) in logMetrics.enumerated() {
                group.addTask { (index, await logReader.row(metric, end: end, window: window, viewGrain: Self.grainSeconds)) }
            }
            var all: [(Int, MetricRow)] = []
            for await row in group {
                all.append(row)
                if let failure = row.1.failure {
                    logger.warning("log metric failed", metadata: ["metric": "\(row.1.metric)", "error": "\(failure)"])
                }
            }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// A metric's row from Azure's answer for a window ending at `end`: only
    /// the intervals that have ended count, so the latest value is the last
    /// complete five minutes (the interval still running holds part of its
    /// traffic, and would read as a fall).
    static func row(resource: String, metric: Metric, aggregation: String? = nil, end: Date, definition: MetricDefinition? = nil)
        -> MetricRow
    {
        let points = completePoints(metric.timeseries.first?.data ?? [], end: end)
        let values = points.map { Self.value($0, aggregation: aggregation) }
        let latest = Array(zip(points, values)).last { $0.1 != nil }
        let read =
            aggregation.flatMap(MetricMeasure.Aggregation.init(azureName:))
            ?? points.lazy.compactMap(\.filledAggregation).first
            ?? definition?.primaryAggregationType.flatMap(MetricMeasure.Aggregation.init(azureName:))
        let measure = MetricMeasure(
            azureUnit: definition?.unit ?? metric.unit, aggregation: read, interval: grainSeconds,
            name: metric.name.value + " " + (definition?.name.localizedValue ?? metric.name.localizedValue ?? ""),
            description: definition?.displayDescription ?? metric.displayDescription)
        // The view's grid is 36 columns, shared with the logged metrics.
        return MetricRow(
            resource: resource, metric: metric.name.value, unit: metric.unit, latest: latest?.1, latestAt: latest?.0.timeStamp,
            series: Array(values.suffix(Int(window / grainSeconds))), failure: metric.failure, measure: measure)
    }

    /// The points whose interval (a point stands for `grain` from its time
    /// stamp) has ended by `end`.
    static func completePoints(_ points: [MetricPoint], end: Date) -> [MetricPoint] {
        points.filter { $0.timeStamp.addingTimeInterval(grainSeconds) <= end }
    }

    /// The start of the last five-minute column that has ended by `date`.
    static func lastCompleteSlot(_ date: Date) -> Date {
        slot(date).addingTimeInterval(-grainSeconds)
    }

    /// Reads the definitions of every resource not read yet, together. A
    /// failure is logged and asked again next time; the rows fall back to
    /// the unit in the metrics answer meanwhile.
    func readDefinitions() async {
        let missing = resources.filter { definitionBook.definitions(for: $0.id) == nil }
        guard !missing.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            for resource in missing {
                group.addTask {
                    do {
                        let definitions = try await client.definitions(resourceID: resource.id, namespace: resource.namespace)
                        definitionBook.record(definitions, for: resource.id)
                    } catch {
                        logger.warning("metric definitions unavailable", metadata: ["resource": "\(resource.name)", "error": "\(error)"])
                    }
                }
            }
        }
    }

    /// The configured aggregation's value, or the primary one: whichever Azure filled in.
    static func value(_ point: MetricPoint, aggregation: String? = nil) -> Double? {
        switch aggregation?.lowercased() {
        case "average": point.average
        case "minimum": point.minimum
        case "maximum": point.maximum
        case "total": point.total
        case "count": point.count
        default: point.average ?? point.total ?? point.maximum ?? point.count ?? point.minimum
        }
    }
}

/// A fetched row's points on the five-minute grid, on their way to the history.
struct SlottedRow {
    /// The row's place in the panel.
    var index: Int
    var series: String
    var points: [SeriesPoint]
    /// The row's newest column.
    var end: Date
}

extension MetricsPoller {
    /// Five-minute columns the Monitor view can reach back over kept history.
    static var windowColumns: Int { Int(HistoryRetention.monitorWindow / grainSeconds) }

    /// The history's name for a metric: the resource and metric as configured.
    static func seriesName(resource: String, metric: String) -> String {
        "monitor/\(resource)/\(metric.lowercased())"
    }

    /// The start of the five-minute column `date` falls in.
    static func slot(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / grainSeconds).rounded(.down) * grainSeconds)
    }

    /// Keeps the fetched points, then lengthens each row's series with the
    /// kept ones before Azure's window (up to `HistoryRetention.monitorWindow`),
    /// on the five-minute grid ending at the row's newest column. A failed
    /// write costs the chart its past, never the panel.
    func withHistory(_ rows: [MetricRow], slotted: [SlottedRow], now: Date) -> [MetricRow] {
        guard let history, !slotted.isEmpty else { return rows }
        var units: [String: String] = [:]
        for entry in slotted where !rows[entry.index].unit.isEmpty { units[entry.series] = rows[entry.index].unit }
        do {
            try history.recordSlots(Dictionary(slotted.map { ($0.series, $0.points) }, uniquingKeysWith: +), units: units, now: now)
        } catch {
            logger.error("cannot keep metric points", metadata: ["error": "\(error)"])
        }
        var rows = rows
        for entry in slotted {
            do {
                let kept = try history.points(
                    entry.series, since: entry.end.addingTimeInterval(-Double(Self.windowColumns - 1) * Self.grainSeconds))
                rows[entry.index].series = Self.grid(kept, endingAt: entry.end, minimumCount: rows[entry.index].series.count)
            } catch {
                logger.error("cannot read kept metric points", metadata: ["error": "\(error)"])
            }
        }
        return rows
    }

    /// Before the first fetch returns: every configured metric's kept points,
    /// shown as cached (the view marks them), ending at the current column so
    /// the time the dashboard was off shows as a gap.
    public func loadHistory() {
        guard history != nil else { return }
        let names =
            resources.flatMap { resource in resource.metrics.map { (resource: resource.name, metric: $0) } }
            + logMetrics.map { (resource: $0.source.label, metric: $0.name) }
        let rows = keptRows(names, end: Self.lastCompleteSlot(clock()))
        guard let newest = rows.compactMap(\.latestAt).max() else { return }
        let panel = MonitorPanel(rows: rows, failedResources: [])
        store.updateFeed { state in
            guard state.monitor.value == nil else { return }
            state.monitor.succeed(panel, at: newest, source: .cache)
        }
    }

    /// Rows drawn from kept points alone, for the metrics that have any,
    /// ending at the column `end` so the time since the last point shows as a gap.
    func keptRows(_ names: [(resource: String, metric: String)], end: Date) -> [MetricRow] {
        guard let history else { return [] }
        let series = names.map { Self.seriesName(resource: $0.resource, metric: $0.metric) }
        var rows: [MetricRow] = []
        do {
            let units = try history.units(series)
            for (name, key) in zip(names, series) {
                let kept = try history.points(key, since: end.addingTimeInterval(-Double(Self.windowColumns - 1) * Self.grainSeconds))
                guard let last = kept.last else { continue }
                rows.append(
                    MetricRow(
                        resource: name.resource, metric: name.metric, unit: units[key] ?? "", latest: last.value,
                        latestAt: last.at, series: Self.grid(kept, endingAt: end, minimumCount: Int(Self.window / Self.grainSeconds)),
                        failure: nil, fromHistory: true))
            }
        } catch {
            logger.error("cannot read kept metric points", metadata: ["error": "\(error)"])
        }
        return rows
    }

    /// `points` on the five-minute grid ending at `end`: from the oldest
    /// point (at least `minimumCount` columns, at most the window), nil
    /// where nothing is known.
    static func grid(_ points: [SeriesPoint], endingAt end: Date, minimumCount: Int) -> [Double?] {
        func column(_ date: Date) -> Int { Int((date.timeIntervalSince1970 / grainSeconds).rounded(.down)) }
        let last = column(end)
        let oldest = points.first.map { column($0.at) } ?? last
        let count = max(1, min(windowColumns, max(minimumCount, last - oldest + 1)))
        let first = last - count + 1
        var values = [Double?](repeating: nil, count: count)
        for point in points {
            let index = column(point.at) - first
            if values.indices.contains(index) { values[index] = point.value }
        }
        return values
    }
}
