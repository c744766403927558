import Foundation
import QLPCore

/// GET {resourceUri}/providers/Microsoft.Insights/metrics — Azure Monitor
/// metrics at resource scope, in the shape of Microsoft's GetMetric examples.
///
/// Unknown metric names fail the whole request with 400 BadRequest and the
/// top-level {"code", "message"} body Azure sends ("Failed to find metric
/// configuration for provider: ..., Valid metrics: ...", as reported in
/// Azure/azure-sdk-for-net#29584). A metric that exists but cannot give any of
/// the requested aggregations fails alone, inside the 200, with the
/// per-metric `errorCode`/`errorMessage` and empty `timeseries` of
/// GetMetricError.json (`InvalidSamplingType`).
struct MetricsRoute: EmulatorRoute {
    let endpoint = EmulatedEndpoint.metrics
    let authentication = RouteAuthentication.bearer

    func matches(_ r: EmulatedRequest) -> Bool {
        r.method == .get && r.lower.first == "subscriptions" && MetricsEndpoint.insightsTail(r) == "metrics"
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        if let refused = ARMChecks.validate(r, context: context) { return refused }
        let endpoint = MetricsEndpoint(context: context)
        guard let resource = endpoint.resource(at: Array(r.segments.dropLast(3))) else {
            return endpoint.resourceNotFound(Array(r.segments.dropLast(3)))
        }
        let query: MetricsEndpoint.Query
        do {
            query = try MetricsEndpoint.Query(resourceScope: r, now: context.now)
        } catch {
            return MetricsEndpoint.metricsError(error.message)
        }
        let metrics: [EmulatedMetric]
        do {
            metrics = try endpoint.resolve(query.names, in: resource, namespace: query.namespace)
        } catch {
            return MetricsEndpoint.metricsError(error.message)
        }
        var cost = 0
        let values = metrics.map { endpoint.metricJSON(resource, $0, query, cost: &cost) }
        return EmulatorReply.json(
            .object([
                ("cost", .number(cost)),
                ("timespan", .string("\(EmulatedTime.format(query.start))/\(EmulatedTime.format(query.end))")),
                ("interval", .string(query.intervalText)),
                ("value", .array(values)),
                ("namespace", .string((query.namespace ?? resource.defaultNamespace).lowercased())),
                ("resourceregion", .string(resource.region)),
            ]))
    }
}

/// GET {resourceUri}/providers/Microsoft.Insights/metricDefinitions
struct MetricDefinitionsRoute: EmulatorRoute {
    let endpoint = EmulatedEndpoint.metricDefinitions
    let authentication = RouteAuthentication.bearer

    func matches(_ r: EmulatedRequest) -> Bool {
        r.method == .get && r.lower.first == "subscriptions" && MetricsEndpoint.insightsTail(r) == "metricdefinitions"
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        if let refused = ARMChecks.validate(r, context: context) { return refused }
        let endpoint = MetricsEndpoint(context: context)
        guard let resource = endpoint.resource(at: Array(r.segments.dropLast(3))) else {
            return endpoint.resourceNotFound(Array(r.segments.dropLast(3)))
        }
        let namespace = r.query["metricnamespace"].flatMap { $0.isEmpty ? nil : $0 }
        let id = resource.id(subscriptionID: context.configuration.subscriptionID)
        let definitions: [JSONText] = resource.metrics(inNamespace: namespace).map { metric in
            var members: [(String, JSONText)] = [
                ("id", .string("\(id)/providers/microsoft.insights/metricdefinitions/\(metric.name)")),
                ("resourceId", .string(id)),
                ("namespace", .string(metric.namespace ?? resource.type)),
                ("name", .object([("value", .string(metric.name)), ("localizedValue", .string(metric.displayName))])),
                ("displayDescription", .string(metric.displayDescription)),
                ("isDimensionRequired", .bool(false)),
                ("unit", .string(metric.unit)),
                ("primaryAggregationType", .string(metric.primaryAggregation)),
                ("supportedAggregationTypes", .array(metric.supportedAggregations.map { .string($0) })),
                (
                    "metricAvailabilities",
                    .array(
                        ["PT1M", "PT5M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "P1D"].map {
                            .object([("timeGrain", .string($0)), ("retention", .string("P93D"))])
                        })
                ),
            ]
            if !metric.dimensions.isEmpty {
                members.append(
                    (
                        "dimensions",
                        .array(
                            metric.dimensions.map {
                                .object([("value", .string($0.name)), ("localizedValue", .string($0.name))])
                            })
                    ))
            }
            return .object(members)
        }
        return EmulatorReply.json(.object([("value", .array(definitions))]))
    }
}

/// POST /subscriptions/{id}/metrics:getBatch — the regional metrics data
/// plane, on the emulator's own host. Errors use the ARM v3 body of
/// MetricBatchExample2.json's `default` response (with additionalInfo).
struct MetricsBatchRoute: EmulatorRoute {
    let endpoint = EmulatedEndpoint.metricsBatch
    let authentication = RouteAuthentication.bearer

    func matches(_ r: EmulatedRequest) -> Bool {
        r.method == .post && r.lower.count == 3 && r.lower[0] == "subscriptions"
            && (r.lower[2] == "metrics:getbatch" || r.lower[2] == "metrics%3agetbatch")
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        if let refused = ARMChecks.validate(r, context: context) { return refused }
        if r.query["timespan"] != nil {
            return MetricsEndpoint.batchError(
                400, "BadRequest",
                "Detected invalid time range parameters for API version \(r.apiVersion ?? ""). Please use only starttime and endtime to specify a time range."
            )
        }
        guard let namespace = r.query["metricnamespace"], !namespace.isEmpty else {
            return MetricsEndpoint.batchError(400, "BadRequest", "The metricnamespace query parameter is required.")
        }
        let query: MetricsEndpoint.Query
        do {
            query = try MetricsEndpoint.Query(batch: r, now: context.now)
        } catch {
            return MetricsEndpoint.batchError(400, "BadRequest", error.message)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any],
            let ids = object["resourceids"] as? [String], !ids.isEmpty
        else {
            return MetricsEndpoint.batchError(
                400, "BadRequest", "The request body must be {\"resourceids\": [...]} with at least one resource ID.")
        }
        guard ids.count <= 50 else {
            return MetricsEndpoint.batchError(400, "BadRequest", "At most 50 resource IDs can be requested in one batch; got \(ids.count).")
        }
        let endpoint = MetricsEndpoint(context: context)
        var values: [JSONText] = []
        for id in ids {
            let segments = id.split(separator: "/").map(String.init)
            guard let resource = endpoint.resource(at: segments) else {
                return MetricsEndpoint.batchError(404, "ResourceNotFound", "The resource '\(id)' was not found.")
            }
            let inNamespace = resource.metrics.contains {
                ($0.namespace ?? resource.defaultNamespace).lowercased() == namespace.lowercased()
            }
            guard inNamespace else {
                return MetricsEndpoint.batchError(
                    400, "BadRequest",
                    "The resource '\(id)' has no metrics in namespace '\(namespace)'; all resources of a batch must share the metric namespace."
                )
            }
            let metrics: [EmulatedMetric]
            do {
                metrics = try endpoint.resolve(query.names, in: resource, namespace: namespace)
            } catch {
                return MetricsEndpoint.batchError(400, "BadRequest", error.message)
            }
            var cost = 0
            values.append(
                .object([
                    ("starttime", .string(EmulatedTime.format(query.start))),
                    ("endtime", .string(EmulatedTime.format(query.end))),
                    ("interval", .string(query.intervalText)),
                    ("value", .array(metrics.map { endpoint.metricJSON(resource, $0, query, cost: &cost) })),
                    ("namespace", .string(namespace.lowercased())),
                    ("resourceregion", .string(resource.region)),
                    ("resourceid", .string(resource.id(subscriptionID: context.configuration.subscriptionID))),
                ]))
        }
        return EmulatorReply.json(.object([("values", .array(values))]))
    }
}

/// What the metric routes share: finding resources and metrics, parsing the
/// query, and writing metrics in Azure's shape.
struct MetricsEndpoint {
    let context: RouteContext

    var world: MetricWorld { MetricWorld(world: context.configuration.world) }

    struct BadRequest: Error {
        var message: String
    }

    /// "metrics" or "metricdefinitions" when the path ends in /providers/Microsoft.Insights/{that}.
    static func insightsTail(_ r: EmulatedRequest) -> String? {
        let n = r.lower.count
        guard n >= 6, r.lower[n - 3] == "providers", r.lower[n - 2] == "microsoft.insights" else { return nil }
        return r.lower[n - 1]
    }

    func resource(at segments: [String]) -> EmulatedResource? {
        let wanted = "/" + segments.joined(separator: "/").lowercased()
        return context.configuration.resources.first {
            $0.id(subscriptionID: context.configuration.subscriptionID).lowercased() == wanted
        }
    }

    func resourceNotFound(_ segments: [String]) -> EmulatedResponse {
        let lower = segments.map { $0.lowercased() }
        let group = lower.firstIndex(of: "resourcegroups").flatMap { $0 + 1 < segments.count ? segments[$0 + 1] : nil } ?? ""
        let providers =
            lower.firstIndex(of: "providers").map { Array(segments[($0 + 1)...]).joined(separator: "/") } ?? segments.joined(separator: "/")
        return EmulatorReply.armError(
            status: 404, code: "ResourceNotFound",
            message:
                "The Resource '\(providers)' under resource group '\(group)' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
        )
    }

    /// Monitor's metrics API answers errors with a top-level {"code", "message"}.
    static func metricsError(_ message: String, status: Int = 400) -> EmulatedResponse {
        EmulatorReply.json(.object([("code", .string("BadRequest")), ("message", .string(message))]), status: status)
    }

    /// The metrics data plane's ARM v3 error body.
    static func batchError(_ status: Int, _ code: String, _ message: String) -> EmulatedResponse {
        let trace = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return EmulatorReply.json(
            .object([
                (
                    "error",
                    .object([
                        (
                            "additionalInfo",
                            .array([
                                .object([("type", .string("string")), ("info", .string("TraceId=\(trace)"))]),
                                .object([
                                    ("type", .string("string")),
                                    (
                                        "info",
                                        .string("ExceptionType=Microsoft.Online.Metrics.MetricsMP.Utilities.RPRequestFormatException")
                                    ),
                                ]),
                            ])
                        ),
                        ("code", .string(code)),
                        ("message", .string(message)),
                    ])
                )
            ]), status: status, headers: [("x-ms-error-code", code)])
    }

    /// The requested metrics, in the order asked, by Azure's case-insensitive names.
    func resolve(_ names: [String], in resource: EmulatedResource, namespace: String?) throws(BadRequest) -> [EmulatedMetric] {
        let available = resource.metrics(inNamespace: namespace)
        guard !names.isEmpty else { throw BadRequest(message: "At least one metric name is required (metricnames).") }
        guard names.count <= 20 else {
            throw BadRequest(message: "Requested \(names.count) metrics; at most 20 metric names are allowed per request.")
        }
        var out: [EmulatedMetric] = []
        for name in names {
            guard let metric = available.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) else {
                let (provider, type) = resource.providerAndType
                throw BadRequest(
                    message:
                        "Failed to find metric configuration for provider: \(provider), resource Type: \(type), metric: \(name), Valid metrics: \(available.map(\.name).joined(separator: ","))"
                )
            }
            out.append(metric)
        }
        return out
    }

    /// A parsed metrics query (resource scope or batch).
    struct Query {
        var names: [String]
        /// Azure's aggregation names as asked (nil: each metric's primary aggregation).
        var aggregations: [String]?
        /// nil for FULL: one point for the whole timespan.
        var grain: Int?
        var start: Date
        var end: Date
        var filter: [(dimension: String, value: String)]
        var top: Int?
        var namespace: String?

        var intervalText: String {
            EmulatedTime.formatDuration(grain ?? max(60, Int(end.timeIntervalSince(start))))
        }

        init(resourceScope r: EmulatedRequest, now: Date) throws(BadRequest) {
            let names = r.query["metricnames"] ?? r.query["metric"] ?? ""
            let timespan: (start: Date, end: Date)
            if let text = r.query["timespan"] {
                guard let parsed = EmulatedTime.parseTimespan(text, now: now) else {
                    throw BadRequest(
                        message: "Invalid timespan '\(text)'. Use start/end in ISO 8601, e.g. 2026-11-26T00:00:00Z/2026-11-26T12:00:00Z.")
                }
                timespan = parsed
            } else {
                timespan = (now.addingTimeInterval(-3600), now)  // Azure's default: the last hour
            }
            try self.init(
                names: names, aggregation: r.query["aggregation"], interval: r.query["interval"], start: timespan.start,
                end: timespan.end, filter: r.query["$filter"] ?? r.query["%24filter"] ?? r.query["filter"],
                top: r.query["top"], namespace: r.query["metricnamespace"])
        }

        init(batch r: EmulatedRequest, now: Date) throws(BadRequest) {
            var start = now.addingTimeInterval(-3600)
            var end = now
            if let text = r.query["starttime"] {
                guard let parsed = EmulatedTime.parseInstant(text) else { throw BadRequest(message: "Invalid starttime '\(text)'.") }
                start = parsed
            }
            if let text = r.query["endtime"] {
                guard let parsed = EmulatedTime.parseInstant(text) else { throw BadRequest(message: "Invalid endtime '\(text)'.") }
                end = parsed
            }
            guard start < end else { throw BadRequest(message: "starttime must be before endtime.") }
            try self.init(
                names: r.query["metricnames"] ?? "", aggregation: r.query["aggregation"], interval: r.query["interval"],
                start: start, end: end, filter: r.query["filter"] ?? r.query["$filter"], top: r.query["top"],
                namespace: r.query["metricnamespace"])
        }

        private init(
            names: String, aggregation: String?, interval: String?, start: Date, end: Date, filter: String?,
            top: String?, namespace: String?
        ) throws(BadRequest) {
            self.names = names.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if let aggregation, !aggregation.isEmpty {
                var list: [String] = []
                for part in aggregation.split(separator: ",") {
                    let name = part.trimmingCharacters(in: .whitespaces)
                    guard
                        let canonical = ["Average", "Minimum", "Maximum", "Total", "Count"]
                            .first(where: { $0.caseInsensitiveCompare(name) == .orderedSame })
                    else {
                        throw BadRequest(
                            message: "Invalid aggregation '\(name)'. Valid aggregations: Average, Count, Minimum, Maximum, Total.")
                    }
                    if !list.contains(canonical) { list.append(canonical) }
                }
                aggregations = list
            } else {
                aggregations = nil
            }
            let intervalText = interval ?? "PT1M"
            if intervalText.uppercased() == "FULL" {
                grain = nil
            } else {
                guard let seconds = EmulatedTime.parseDuration(intervalText), seconds >= 60, seconds % 60 == 0 else {
                    throw BadRequest(
                        message:
                            "Invalid interval '\(intervalText)'. Use an ISO 8601 duration of whole minutes (PT1M, PT5M, PT1H, P1D) or FULL."
                    )
                }
                grain = seconds
            }
            self.start = start
            self.end = end
            if let grain, end.timeIntervalSince(start) / Double(grain) > 50_000 {
                throw BadRequest(
                    message: "The requested timespan and interval give more than 50000 data points per time series; use a coarser interval."
                )
            }
            self.filter = try Self.parseFilter(filter)
            self.top = top.flatMap { Int($0) }
            self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        }

        /// "ModelDeploymentName eq '*'", "A eq 'x' and B eq '*'".
        static func parseFilter(_ text: String?) throws(BadRequest) -> [(dimension: String, value: String)] {
            guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
            var out: [(String, String)] = []
            for clause in text.components(separatedBy: " and ") where !clause.isEmpty {
                let parts = clause.trimmingCharacters(in: .whitespaces).components(separatedBy: " eq ")
                guard parts.count == 2 else {
                    throw BadRequest(
                        message: "Invalid $filter '\(text)'. The emulator takes clauses of the form Dimension eq 'value' joined by 'and'.")
                }
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                guard value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") else {
                    throw BadRequest(message: "Invalid $filter '\(text)': values are quoted with single quotes.")
                }
                out.append((parts[0].trimmingCharacters(in: .whitespaces), String(value.dropFirst().dropLast())))
            }
            return out
        }
    }

    /// One metric in Azure's shape: its time series, or its own error.
    func metricJSON(_ resource: EmulatedResource, _ metric: EmulatedMetric, _ query: Query, cost: inout Int) -> JSONText {
        let id = resource.id(subscriptionID: context.configuration.subscriptionID) + "/providers/Microsoft.Insights/metrics/\(metric.name)"
        let name: JSONText = .object([("value", .string(metric.name)), ("localizedValue", .string(metric.displayName))])
        let asked = query.aggregations ?? [metric.primaryAggregation]
        let aggregations = asked.filter { a in metric.supportedAggregations.contains { $0.caseInsensitiveCompare(a) == .orderedSame } }
        func failure(_ code: String, _ message: String) -> JSONText {
            .object([
                ("id", .string(id)), ("type", .string("Microsoft.Insights/metrics")), ("name", name), ("unit", .string(metric.unit)),
                ("timeseries", .array([])), ("errorMessage", .string(message)), ("errorCode", .string(code)),
            ])
        }
        guard !aggregations.isEmpty else {
            return failure(
                "InvalidSamplingType",
                "Sampling type is not found. Metric:\(resource.name),\(metric.namespace ?? resource.type),\(metric.name), SamplingType:\(asked.joined(separator: ",")). Supported: \(metric.supportedAggregations.joined(separator: ","))."
            )
        }
        // Dimensions the filter names: split on '*', select on a value.
        var split: [(EmulatedDimension, [EmulatedDimension.Value])] = []
        for (dimensionName, value) in query.filter {
            guard let dimension = metric.dimension(named: dimensionName) else {
                return failure(
                    "BadRequest",
                    "Metric: \(metric.name) does not support requested dimension combination: \(dimensionName.lowercased()), supported ones are: \(metric.dimensions.map(\.name).joined(separator: ","))"
                )
            }
            let values =
                value == "*"
                ? dimension.values
                : dimension.values.filter { $0.name.caseInsensitiveCompare(value) == .orderedSame }
            split.append((dimension, values))
        }
        var selections = MetricWorld.selections(split)
        if let top = query.top, top > 0, selections.count > top { selections = Array(selections.prefix(top)) }
        let world = self.world
        let now = context.now
        let series: [JSONText] = selections.map { selection in
            let metadata: [JSONText] = selection.map { item in
                .object([
                    (
                        "name",
                        .object([("value", .string(item.dimension.lowercased())), ("localizedValue", .string(item.dimension.lowercased()))])
                    ),
                    ("value", .string(item.value.name)),
                ])
            }
            var points: [JSONText] = []
            let grain = query.grain ?? max(60, Int(query.end.timeIntervalSince(query.start)))
            var t = query.grain == nil ? query.start : EmulatedTime.floor(query.start, to: grain)
            while t < query.end {
                var point: [(String, JSONText)] = [("timeStamp", .string(EmulatedTime.format(t)))]
                if let stats = world.stats(resource, metric, selection: selection, start: t, seconds: grain, now: now) {
                    for aggregation in aggregations {
                        if let value = stats.value(aggregation) { point.append((aggregation.lowercased(), value.metricJSON)) }
                    }
                }
                points.append(.object(point))
                t = t.addingTimeInterval(Double(grain))
            }
            cost += points.count
            return .object([("metadatavalues", .array(metadata)), ("data", .array(points))])
        }
        var members: [(String, JSONText)] = [("id", .string(id)), ("type", .string("Microsoft.Insights/metrics")), ("name", name)]
        if !metric.displayDescription.isEmpty { members.append(("displayDescription", .string(metric.displayDescription))) }
        members += [("unit", .string(metric.unit)), ("timeseries", .array(series)), ("errorCode", .string("Success"))]
        return .object(members)
    }
}
