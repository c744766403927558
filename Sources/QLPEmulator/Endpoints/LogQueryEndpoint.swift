import Foundation
import QLPCore

/// The query half of Application Insights and Log Analytics: {"tables":
/// [{"name", "columns": [{name, type}], "rows": [[...]]}]}.
///
/// The emulator is no Kusto engine. It knows a few tables, filled from the
/// metric world (so they agree with the metrics), and a small subset of KQL:
/// `Table`, then any of `| where column == 'text'`, `| project a, b`,
/// `| take N` / `| limit N`, `| count`. Anything else is refused with the
/// service's BadArgumentError body, naming what the emulator supports.
///
/// Like Microsoft's examples, the `requests` (App Insights) and `Usage` (Log
/// Analytics) tables send every value as a string ("3.3833", "True", "1"),
/// while `customMetrics` and `AppRequests` send typed JSON (numbers, booleans,
/// dynamic objects), so clients meet both.
struct LogQueryEndpoint {
    let context: RouteContext

    enum Service {
        case appInsights
        case logAnalytics

        var tables: [String] {
            switch self {
            case .appInsights: ["requests", "customMetrics"]
            case .logAnalytics: ["Usage", "AppRequests"]
            }
        }
    }

    /// A cell before it is written: text (for `where`) and its JSON.
    struct Cell {
        var json: JSONText
        var text: String?

        static func string(_ s: String?) -> Cell { Cell(json: s.map { .string($0) } ?? .null, text: s) }
        static func number(_ d: Double) -> Cell { Cell(json: d.metricJSON, text: "\(d)") }
        static func integer(_ n: Int) -> Cell { Cell(json: .number(n), text: "\(n)") }
        static func bool(_ b: Bool) -> Cell { Cell(json: .bool(b), text: b ? "true" : "false") }
        static func dynamic(_ j: JSONText) -> Cell { Cell(json: j, text: j.rendered) }
    }

    struct Table {
        var name: String
        var columns: [(name: String, type: String)]
        var rows: [[Cell]]
    }

    struct Refusal: Error {
        var status: Int
        var code: String
        var message: String
        var inner: (code: String, message: String)?
    }

    static func errorReply(_ refusal: Refusal) -> EmulatedResponse {
        var members: [(String, JSONText)] = [
            ("message", .string(refusal.message)), ("code", .string(refusal.code)),
            ("correlationId", .string(UUID().uuidString.lowercased())),
        ]
        if let inner = refusal.inner {
            members.append(("innererror", .object([("code", .string(inner.code)), ("message", .string(inner.message))])))
        }
        return EmulatorReply.json(.object([("error", .object(members))]), status: refusal.status)
    }

    /// The query text and timespan of a GET (query string) or POST (JSON body).
    static func parameters(_ r: EmulatedRequest) -> (query: String?, timespan: String?) {
        if r.method == .post, !r.body.isEmpty,
            let object = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
        {
            return (object["query"] as? String, (object["timespan"] as? String) ?? r.query["timespan"])
        }
        return (r.query["query"], r.query["timespan"])
    }

    func respond(query: String?, timespan: String?, service: Service) -> EmulatedResponse {
        do {
            let table = try run(query: query, timespan: timespan, service: service)
            return EmulatorReply.json(
                .object([
                    (
                        "tables",
                        .array([
                            .object([
                                ("name", .string("PrimaryResult")),
                                (
                                    "columns",
                                    .array(table.columns.map { .object([("name", .string($0.name)), ("type", .string($0.type))]) })
                                ),
                                ("rows", .array(table.rows.map { .array($0.map(\.json)) })),
                            ])
                        ])
                    )
                ]))
        } catch {
            return Self.errorReply(error)
        }
    }

    func run(query: String?, timespan: String?, service: Service) throws(Refusal) -> Table {
        guard let query, !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Refusal(
                status: 400, code: "BadArgumentError", message: "The request had some invalid properties",
                inner: ("QueryValidationError", "A query is required."))
        }
        let now = context.now
        let window: (start: Date, end: Date)
        if let timespan {
            guard let parsed = EmulatedTime.parseTimespan(timespan, now: now) else {
                throw Refusal(
                    status: 400, code: "BadArgumentError", message: "The request had some invalid properties",
                    inner: ("InvalidTimespan", "'\(timespan)' is not a valid ISO 8601 timespan."))
            }
            window = parsed
        } else {
            window = (now.addingTimeInterval(-86_400), now)
        }
        guard window.end.timeIntervalSince(window.start) <= 31 * 86_400 else {
            throw Refusal(
                status: 400, code: "BadArgumentError", message: "The request had some invalid properties",
                inner: ("InvalidTimespan", "The emulator answers queries over at most 31 days."))
        }
        let stages = Self.split(query)
        let tableName = stages[0].trimmingCharacters(in: .whitespacesAndNewlines)
        guard let name = service.tables.first(where: { $0 == tableName }) else {
            throw Refusal(
                status: 400, code: "BadArgumentError", message: "The request had some invalid properties",
                inner: (
                    "SemanticError",
                    "'\(tableName)' operator: Failed to resolve table or column expression named '\(tableName)'. The emulator has tables: \(service.tables.joined(separator: ", "))."
                ))
        }
        var table = makeTable(
            name, from: max(window.start, context.configuration.world.firstDay.startInstant(in: EmulatedTime.utc)),
            to: min(window.end, now))
        for stage in stages.dropFirst() {
            table = try apply(stage.trimmingCharacters(in: .whitespacesAndNewlines), to: table)
        }
        return table
    }

    /// Splits on '|' outside quotes.
    static func split(_ query: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for c in query {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "|" {
                parts.append(current)
                current = ""
                continue
            }
            current.append(c)
        }
        parts.append(current)
        return parts
    }

    private func apply(_ stage: String, to table: Table) throws(Refusal) -> Table {
        let words = stage.split(separator: " ", maxSplits: 1).map(String.init)
        let op = words.first?.lowercased() ?? ""
        let rest = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
        var out = table
        switch op {
        case "take", "limit":
            guard let n = Int(rest), n >= 0 else { throw unsupported(stage) }
            out.rows = Array(table.rows.prefix(n))
        case "count":
            out = Table(name: table.name, columns: [("Count", "long")], rows: [[.integer(table.rows.count)]])
        case "project":
            var indices: [Int] = []
            for name in rest.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let i = table.columns.firstIndex(where: { $0.name == name }) else { throw unknownColumn(name) }
                indices.append(i)
            }
            out.columns = indices.map { table.columns[$0] }
            out.rows = table.rows.map { row in indices.map { row[$0] } }
        case "where":
            let parts = rest.components(separatedBy: "==")
            guard parts.count == 2 else { throw unsupported(stage) }
            let column = parts[0].trimmingCharacters(in: .whitespaces)
            var literal = parts[1].trimmingCharacters(in: .whitespaces)
            guard literal.count >= 2, let q = literal.first, q == "'" || q == "\"", literal.last == q else { throw unsupported(stage) }
            literal = String(literal.dropFirst().dropLast())
            guard let i = table.columns.firstIndex(where: { $0.name == column }) else { throw unknownColumn(column) }
            out.rows = table.rows.filter { $0[i].text == literal }
        default:
            throw unsupported(stage)
        }
        return out
    }

    private func unsupported(_ stage: String) -> Refusal {
        Refusal(
            status: 400, code: "BadArgumentError", message: "The request had some invalid properties",
            inner: (
                "SyntaxError",
                "The emulator does not support '\(stage)'. It supports: Table | where column == 'text' | project a, b | take N | count."
            ))
    }

    private func unknownColumn(_ name: String) -> Refusal {
        Refusal(
            status: 400, code: "BadArgumentError", message: "The request had some invalid properties",
            inner: ("SemanticError", "Failed to resolve scalar expression named '\(name)'"))
    }

    // MARK: - Tables

    private var appInsights: EmulatedResource? {
        context.configuration.resources.first { $0.type.caseInsensitiveCompare("Microsoft.Insights/components") == .orderedSame }
    }

    private func makeTable(_ name: String, from start: Date, to end: Date) -> Table {
        switch name {
        case "requests": requests(from: start, to: end, typed: false)
        case "AppRequests": requests(from: start, to: end, typed: true)
        case "customMetrics": customMetrics(from: start, to: end)
        default: usage(from: start, to: end)
        }
    }

    /// Buckets of `seconds` covering [start, end), aligned to the grain.
    private func buckets(from start: Date, to end: Date, seconds: Int) -> [Date] {
        guard start < end else { return [] }
        var out: [Date] = []
        var t = EmulatedTime.floor(start, to: seconds)
        while t < end {
            if t >= start { out.append(t) }
            t = t.addingTimeInterval(Double(seconds))
        }
        return out
    }

    private func itemID(_ parts: String...) -> String {
        let hash = MetricWorld.stream("item", parts.joined(separator: "/"), [])
        return String(format: "%012llx", UInt64(hash))
    }

    /// One row per operation per 10 minutes; itemCount carries the requests it stands for.
    private func requests(from start: Date, to end: Date, typed: Bool) -> Table {
        let columns: [(String, String)] =
            typed
            ? [
                ("TimeGenerated", "datetime"), ("Id", "string"), ("Name", "string"), ("Url", "string"), ("Success", "bool"),
                ("ResultCode", "string"), ("DurationMs", "real"), ("PerformanceBucket", "string"), ("Properties", "dynamic"),
                ("OperationName", "string"), ("AppRoleName", "string"), ("ItemCount", "int"), ("Type", "string"),
            ]
            : [
                ("timestamp", "datetime"), ("id", "string"), ("name", "string"), ("url", "string"), ("success", "string"),
                ("resultCode", "string"), ("duration", "real"), ("performanceBucket", "string"), ("customDimensions", "dynamic"),
                ("operation_Name", "string"), ("cloud_RoleName", "string"), ("appId", "string"), ("itemType", "string"),
                ("itemCount", "int"),
            ]
        guard let resource = appInsights,
            let count = resource.metrics.first(where: { $0.name == "requests/count" }),
            let duration = resource.metrics.first(where: { $0.name == "requests/duration" }),
            let operations = count.dimension(named: "operation/name")
        else {
            return Table(name: "PrimaryResult", columns: columns, rows: [])
        }
        let world = MetricWorld(world: context.configuration.world)
        let now = context.now
        var rows: [[Cell]] = []
        for t in buckets(from: start, to: end, seconds: 600) {
            for operation in operations.values {
                let selection: MetricWorld.Selection = [("operation/name", operation)]
                guard let n = world.stats(resource, count, selection: selection, start: t, seconds: 600, now: now)?.total, n >= 1,
                    let ms = world.stats(resource, duration, selection: selection, start: t, seconds: 600, now: now)?.average
                else { continue }
                let path = String(operation.name.split(separator: " ").last ?? "/")
                let id = itemID(operation.name, EmulatedTime.format(t))
                let failed = MetricWorld.stream(id, "failed", []) % 1000 < 13  // about 1.3%, as requests/success
                let bucket =
                    ms < 250 ? "<250ms" : ms < 500 ? "250ms-500ms" : ms < 1000 ? "500ms-1sec" : ms < 3000 ? "1sec-3sec" : "3sec-7sec"
                let room = max(1, min(600, Int(end.timeIntervalSince(t))))  // never after the window (or now)
                let when = EmulatedTime.format(t.addingTimeInterval(Double(MetricWorld.stream(id, "", []) % room)), milliseconds: true)
                let code = failed ? "500" : operation.name.hasPrefix("POST /api/projects") ? "201" : "200"
                let url = "https://api.quantumlayer.example\(path)"
                let dims: JSONText = .object([("environment", .string("production")), ("region", .string("uksouth"))])
                let role = "qlp-api"
                let rounded = (ms * 10_000).rounded() / 10_000
                if typed {
                    rows.append([
                        .string(when), .string(id), .string(operation.name), .string(url), .bool(!failed), .string(code),
                        .number(rounded), .string(bucket), .dynamic(dims), .string(operation.name), .string(role),
                        .integer(Int(n)), .string("AppRequests"),
                    ])
                } else {
                    rows.append([
                        .string(when), .string("|\(id).\(id.prefix(8))_"), .string(operation.name), .string(url),
                        .string(failed ? "False" : "True"), .string(code), .string("\(rounded)"), .string(bucket),
                        .string(dims.rendered), .string(operation.name), .string(role),
                        .string(context.configuration.appInsightsAppID), .string("request"), .string("\(Int(n))"),
                    ])
                }
            }
        }
        return Table(name: "PrimaryResult", columns: columns, rows: rows)
    }

    /// The platform's custom metrics, pre-aggregated per 15 minutes as the SDKs send them.
    private func customMetrics(from start: Date, to end: Date) -> Table {
        let columns: [(String, String)] = [
            ("timestamp", "datetime"), ("name", "string"), ("value", "real"), ("valueCount", "int"),
            ("valueSum", "real"), ("valueMin", "real"), ("valueMax", "real"),
            ("customDimensions", "dynamic"), ("cloud_RoleName", "string"),
        ]
        guard let resource = appInsights else { return Table(name: "PrimaryResult", columns: columns, rows: []) }
        let custom = resource.metrics.filter { $0.namespace == EmulatedResource.custom }
        let world = MetricWorld(world: context.configuration.world)
        var rows: [[Cell]] = []
        for t in buckets(from: start, to: end, seconds: 900) {
            for metric in custom {
                guard let stats = world.stats(resource, metric, start: t, seconds: 900, now: context.now) else { continue }
                let count = metric.kind == .counter ? Int(stats.total) : Int(stats.count)
                guard count > 0 else { continue }
                let sum = metric.kind == .counter ? stats.total : MetricWorld.round(stats.average * Double(count))
                let value = metric.kind == .counter ? stats.total : stats.average
                rows.append([
                    .string(EmulatedTime.format(t, milliseconds: true)), .string(metric.name), .number(value), .integer(count),
                    .number(sum), .number(metric.kind == .counter ? 1 : stats.minimum),
                    .number(metric.kind == .counter ? 1 : stats.maximum),
                    .dynamic(.object([("_MS.AggregationIntervalMs", .string("900000")), ("environment", .string("production"))])),
                    .string("qlp-api"),
                ])
            }
        }
        return Table(name: "PrimaryResult", columns: columns, rows: rows)
    }

    /// Log Analytics' Usage table, hourly per data type, in the example's all-strings form.
    private func usage(from start: Date, to end: Date) -> Table {
        let columns: [(String, String)] = [
            ("TenantId", "string"), ("Computer", "string"), ("TimeGenerated", "datetime"), ("SourceSystem", "string"),
            ("StartTime", "datetime"), ("EndTime", "datetime"), ("ResourceUri", "string"), ("LinkedResourceUri", "string"),
            ("DataType", "string"), ("Solution", "string"), ("BatchesWithinSla", "long"), ("BatchesOutsideSla", "long"),
            ("BatchesCapped", "long"), ("TotalBatches", "long"), ("AvgLatencyInSeconds", "real"), ("Quantity", "real"),
            ("QuantityUnit", "string"), ("IsBillable", "bool"), ("MeterId", "string"), ("LinkedMeterId", "string"), ("Type", "string"),
        ]
        let types: [(name: String, solution: String, megabytes: Double)] = [
            ("ContainerLog", "LogManagement", 9.8), ("KubePodInventory", "ContainerInsights", 1.4), ("Perf", "LogManagement", 2.2),
            ("AppRequests", "LogManagement", 0.9), ("AzureMetrics", "LogManagement", 0.6), ("Heartbeat", "LogManagement", 0.05),
        ]
        let configuration = context.configuration
        let workspace =
            "/subscriptions/\(configuration.subscriptionID)/resourcegroups/quantumlayer-prod/providers/microsoft.operationalinsights/workspaces/qlp-logs"
        let noise = SeededNoise(seed: configuration.world.seed)
        var rows: [[Cell]] = []
        for t in buckets(from: start, to: end, seconds: 3600) {
            let hour = Int(t.timeIntervalSince1970 / 3600)
            for (i, type) in types.enumerated() {
                let jitter = Double(noise.signedMillionths(stream: 0x105 + i, day: hour, salt: 0x05A6E)) / 1_000_000
                let quantity = MetricWorld.round(type.megabytes * (1 + 0.3 * jitter))
                let batches = 1 + abs(Int(jitter * 10)) % 4
                let stamp = EmulatedTime.format(t.addingTimeInterval(3599))
                rows.append([
                    .string(configuration.logAnalyticsWorkspaceID), .string(type.name == "Perf" ? "aks-system-28471635-vmss000000" : nil),
                    .string(stamp), .string("OMS"), .string(EmulatedTime.format(t)), .string(stamp), .string(workspace), .string(nil),
                    .string(type.name), .string(type.solution), .string("\(batches)"), .string("0"), .string("0"),
                    .string("\(batches)"), .string("\(MetricWorld.round(1.1 + 0.6 * abs(jitter)))"), .string("\(quantity)"),
                    .string("MBytes"), .string("true"), .string("a4e29a95-5b4c-408b-80e3-113f9410566e"),
                    .string("00000000-0000-0000-0000-000000000000"), .string("Usage"),
                ])
            }
        }
        return Table(name: "PrimaryResult", columns: columns, rows: rows)
    }
}
