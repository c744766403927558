import Foundation
import QLPCore

/// GET /v1/apps/{appId}/metrics/{metricId} — Application Insights metrics
/// (the metric ID keeps its slash: /metrics/requests/count, or requests%2Fcount).
///
/// Shapes as Microsoft's examples: without `interval`, {"value": {"start",
/// "end", "<metricId>": {"<agg>": n}}}; with it, `value.interval` and
/// `value.segments[{start, end, "<metricId>": {...}}]`; with `segment`,
/// nested `segments` keyed by the dimension ("operation/name"), the metric at
/// the leaves.
struct AppInsightsMetricsRoute: EmulatorRoute {
    let endpoint = EmulatedEndpoint.appInsights
    let authentication = RouteAuthentication.bearer

    func matches(_ r: EmulatedRequest) -> Bool {
        r.method == .get && r.lower.count >= 5 && r.lower[0] == "v1" && r.lower[1] == "apps" && r.lower[3] == "metrics"
    }

    /// Data-plane metric IDs and the component metric behind each, with the default aggregation.
    static let catalogue: [(id: String, metric: String, aggregation: String)] = [
        ("requests/count", "requests/count", "sum"), ("requests/duration", "requests/duration", "avg"),
        ("requests/failed", "requests/failed", "sum"), ("exceptions/count", "exceptions/count", "sum"),
        ("dependencies/duration", "dependencies/duration", "avg"),
    ]

    struct Refusal: Error {
        var response: EmulatedResponse
    }

    static func badArgument(_ message: String) -> Refusal {
        Refusal(
            response: LogQueryEndpoint.errorReply(
                .init(
                    status: 400, code: "BadArgumentError",
                    message: "The request had some invalid properties",
                    inner: ("InvalidArgument", message))))
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        guard r.segments[2] == context.configuration.appInsightsAppID else { return InsightsReply.applicationNotFound(r.segments[2]) }
        let raw = r.segments[4...].joined(separator: "/")
        let metricID = raw.removingPercentEncoding ?? raw
        do {
            return try answer(metricID: metricID, r, context: context)
        } catch {
            return error.response
        }
    }

    private func answer(metricID: String, _ r: EmulatedRequest, context: RouteContext) throws(Refusal) -> EmulatedResponse {
        guard
            let component = context.configuration.resources.first(where: {
                $0.type.caseInsensitiveCompare("Microsoft.Insights/components") == .orderedSame
            })
        else { throw Self.badArgument("The application has no metrics.") }
        let metricName: String
        let defaultAggregation: String
        if let known = Self.catalogue.first(where: { $0.id.caseInsensitiveCompare(metricID) == .orderedSame }) {
            (metricName, defaultAggregation) = (known.metric, known.aggregation)
        } else if metricID.lowercased().hasPrefix("custommetrics/") {
            (metricName, defaultAggregation) = (String(metricID.dropFirst("customMetrics/".count)), "avg")
        } else {
            throw Self.badArgument(
                "The metric '\(metricID)' is not valid. Valid metrics: \(Self.catalogue.map(\.id).joined(separator: ", ")), customMetrics/<name>."
            )
        }
        guard let metric = component.metrics.first(where: { $0.name.caseInsensitiveCompare(metricName) == .orderedSame }) else {
            throw Self.badArgument("The metric '\(metricID)' has no data in this application.")
        }
        let id = metricID.lowercased().hasPrefix("custommetrics/") ? "customMetrics/\(metric.name)" : metricID.lowercased()
        let now = context.now
        let text = r.query["timespan"] ?? "PT12H"
        guard let window = EmulatedTime.parseTimespan(text, now: now) else {
            throw Self.badArgument("'\(text)' is not a valid ISO 8601 timespan.")
        }
        var aggregations: [String] = []
        for part in (r.query["aggregation"] ?? defaultAggregation).split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard ["avg", "sum", "count", "min", "max"].contains(name) else {
                throw Self.badArgument("The aggregation '\(name)' is not valid for '\(id)'. Valid aggregations: avg, sum, count, min, max.")
            }
            aggregations.append(name)
        }
        var dimensions: [EmulatedDimension] = []
        for part in (r.query["segment"] ?? "").split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let dimension = metric.dimension(named: name) else {
                throw Self.badArgument(
                    "The segment '\(name)' is not valid for '\(id)'. Valid segments: \(metric.dimensions.map(\.name).joined(separator: ", "))."
                )
            }
            dimensions.append(dimension)
        }
        let top = r.query["top"].flatMap { Int($0) } ?? 10
        let world = MetricWorld(world: context.configuration.world)

        func values(_ selection: MetricWorld.Selection, _ start: Date, _ end: Date) -> JSONText {
            let seconds = max(1, Int(end.timeIntervalSince(start)))
            let stats = world.stats(component, metric, selection: selection, start: start, seconds: seconds, now: now)
            return .object(
                aggregations.map { aggregation in
                    guard let stats else { return (aggregation, .null) }
                    let value: Double =
                        switch aggregation {
                        case "avg": metric.kind == .counter ? stats.total / max(1, Double(seconds) / 60) : stats.average
                        case "sum": stats.total
                        case "count": metric.countsEvents ? stats.total : stats.count
                        case "min": stats.minimum
                        default: stats.maximum
                        }
                    let whole = metric.integral && (aggregation == "sum" || aggregation == "count")
                    return (aggregation, whole ? .number(Int(value.rounded())) : value.metricJSON)
                })
        }

        func segments(_ dims: ArraySlice<EmulatedDimension>, _ selection: MetricWorld.Selection, _ start: Date, _ end: Date) -> [JSONText] {
            guard let dimension = dims.first else { return [] }
            return dimension.values.prefix(top).map { value in
                let here = selection + [(dimension.name, value)]
                let label: JSONText = value.name == "true" ? .bool(true) : value.name == "false" ? .bool(false) : .string(value.name)
                if dims.count == 1 { return .object([(id, values(here, start, end)), (dimension.name, label)]) }
                return .object([(dimension.name, label), ("segments", .array(segments(dims.dropFirst(), here, start, end)))])
            }
        }

        func content(_ start: Date, _ end: Date) -> [(String, JSONText)] {
            dimensions.isEmpty ? [(id, values([], start, end))] : [("segments", .array(segments(dimensions[...], [], start, end)))]
        }

        var value: [(String, JSONText)] = [
            ("start", .string(EmulatedTime.format(window.start, milliseconds: true))),
            ("end", .string(EmulatedTime.format(window.end, milliseconds: true))),
        ]
        if let intervalText = r.query["interval"] {
            guard let grain = EmulatedTime.parseDuration(intervalText), grain >= 60 else {
                throw Self.badArgument("'\(intervalText)' is not a valid ISO 8601 interval.")
            }
            guard window.end.timeIntervalSince(window.start) / Double(grain) <= 10_000 else {
                throw Self.badArgument("The interval '\(intervalText)' gives too many segments for the timespan.")
            }
            var parts: [JSONText] = []
            var start = window.start
            while start < window.end {
                let next = min(window.end, EmulatedTime.floor(start, to: grain).addingTimeInterval(Double(grain)))
                parts.append(
                    .object(
                        [
                            ("start", .string(EmulatedTime.format(start, milliseconds: true))),
                            ("end", .string(EmulatedTime.format(next, milliseconds: true))),
                        ] + content(start, next)))
                start = next
            }
            value += [("interval", .string(intervalText)), ("segments", .array(parts))]
        } else {
            value += content(window.start, window.end)
        }
        return EmulatorReply.json(.object([("value", .object(value))]))
    }
}

/// GET|POST /v1/apps/{appId}/query
struct AppInsightsQueryRoute: EmulatorRoute {
    let endpoint = EmulatedEndpoint.appInsights
    let authentication = RouteAuthentication.bearer

    func matches(_ r: EmulatedRequest) -> Bool {
        (r.method == .get || r.method == .post) && r.lower.count == 4 && r.lower[0] == "v1" && r.lower[1] == "apps" && r.lower[3] == "query"
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        guard r.segments[2] == context.configuration.appInsightsAppID else { return InsightsReply.applicationNotFound(r.segments[2]) }
        let (query, timespan) = LogQueryEndpoint.parameters(r)
        return LogQueryEndpoint(context: context).respond(query: query, timespan: timespan, service: .appInsights)
    }
}

/// POST (or GET) /v1/workspaces/{workspaceId}/query — Log Analytics.
struct LogAnalyticsQueryRoute: EmulatorRoute {
    let endpoint = EmulatedEndpoint.logAnalytics
    let authentication = RouteAuthentication.bearer

    func matches(_ r: EmulatedRequest) -> Bool {
        (r.method == .get || r.method == .post) && r.lower.count == 4 && r.lower[0] == "v1" && r.lower[1] == "workspaces"
            && r.lower[3] == "query"
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        guard r.segments[2] == context.configuration.logAnalyticsWorkspaceID else {
            return LogQueryEndpoint.errorReply(
                .init(
                    status: 404, code: "WorkspaceNotFoundError",
                    message: "The workspace '\(r.segments[2])' could not be found", inner: nil))
        }
        let (query, timespan) = LogQueryEndpoint.parameters(r)
        return LogQueryEndpoint(context: context).respond(query: query, timespan: timespan, service: .logAnalytics)
    }
}

enum InsightsReply {
    static func applicationNotFound(_ appID: String) -> EmulatedResponse {
        LogQueryEndpoint.errorReply(
            .init(
                status: 404, code: "ApplicationNotFoundError",
                message: "The application '\(appID)' could not be found", inner: nil))
    }
}
