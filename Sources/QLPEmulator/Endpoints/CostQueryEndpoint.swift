import Foundation
import Hummingbird
import QLPCore

/// POST {scope}/providers/Microsoft.CostManagement/query — answers in the shape
/// of Microsoft's published examples: positional rows described by `columns`,
/// UsageDate as a yyyyMMdd number, Currency last, and a nextLink that must be
/// followed with POST and the same body.
struct CostQueryEndpoint: Sendable {
    let configuration: EmulatorConfiguration
    var names = ReportedNames()

    struct BadRequest: Error {
        var message: String
    }

    /// A parsed query definition.
    struct Query {
        var type: String
        var first: CivilDate
        var last: CivilDate
        var granularity: Granularity
        var costColumns: [String]
        var grouping: [Grouping]
        var filter: Filter?

        /// Whether it groups or filters by a meter, so rows must be split by meter.
        var needsMeters: Bool {
            grouping.contains { if case .dimension(let d) = $0 { d.isMeter } else { false } } || (filter?.namesMeter ?? false)
        }
    }

    /// A grouping: a dimension (one column) or a tag key (TagKey and TagValue
    /// columns; both empty for rows without the tag).
    enum Grouping {
        case dimension(Dimension)
        case tag(String)

        var columns: [String] {
            switch self {
            case .dimension(let d): [d.rawValue]
            case .tag: ["TagKey", "TagValue"]
            }
        }

        func values(of row: EmulatedCostRow) -> [String] {
            switch self {
            case .dimension(let d): return [d.value(of: row)]
            case .tag(let key):
                guard let match = row.tags.first(where: { $0.key.caseInsensitiveCompare(key) == .orderedSame }) else { return ["", ""] }
                return [match.key, match.value]
            }
        }
    }

    enum Granularity { case daily, monthly, none }

    enum Dimension: String {
        case serviceName = "ServiceName"
        case resourceGroup = "ResourceGroup"
        case meterSubcategory = "MeterSubcategory"
        case meter = "Meter"

        init?(azureName: String) {
            switch azureName.lowercased() {
            case "servicename": self = .serviceName
            case "resourcegroup", "resourcegroupname": self = .resourceGroup
            case "metersubcategory": self = .meterSubcategory
            case "meter": self = .meter
            default: return nil
            }
        }

        var isMeter: Bool { self == .meter || self == .meterSubcategory }

        func value(of row: EmulatedCostRow) -> String {
            switch self {
            case .serviceName: row.service
            case .resourceGroup: row.resourceGroup
            case .meterSubcategory: row.meterSubcategory ?? ""
            case .meter: row.meter ?? ""
            }
        }
    }

    indirect enum Filter {
        case and([Filter])
        case or([Filter])
        case not(Filter)
        case dimension(Dimension, Set<String>)

        func matches(_ row: EmulatedCostRow) -> Bool {
            switch self {
            case .and(let all): all.allSatisfy { $0.matches(row) }
            case .or(let any): any.contains { $0.matches(row) }
            case .not(let inner): !inner.matches(row)
            case .dimension(let d, let values): values.contains(d.value(of: row).lowercased())
            }
        }

        var namesMeter: Bool {
            switch self {
            case .and(let all), .or(let all): all.contains(where: \.namesMeter)
            case .not(let inner): inner.namesMeter
            case .dimension(let d, _): d.isMeter
            }
        }
    }

    func respond(scope: String, body: [UInt8], skipToken: String?, top: Int?, apiVersion: String, baseURL: String) -> EmulatedResponse {
        let query: Query
        do {
            query = try parse(body)
        } catch {
            return EmulatorReply.armError(status: 400, code: "BadRequest", message: error.message)
        }
        let now = configuration.clock()
        // Renamed services are renamed before filtering: a filter names what Azure reports.
        let renames = names.all
        let rows = configuration.world.rows(from: query.first, to: query.last, at: now, byMeter: query.needsMeters)
            .map { row in
                guard let reported = renames[row.service] else { return row }
                var renamed = row
                renamed.service = reported
                return renamed
            }
            .filter { query.filter?.matches($0) ?? true }
        let table = aggregate(rows, query)
        let pageSize = min(top ?? configuration.costPageSize, configuration.costPageSize)
        let offset = skipToken.flatMap(Self.decodeSkipToken) ?? 0
        guard offset >= 0, offset <= table.rows.count else {
            return EmulatorReply.armError(status: 400, code: "BadRequest", message: "Invalid $skiptoken.")
        }
        let page = Array(table.rows[offset..<min(table.rows.count, offset + pageSize)])
        let next = offset + pageSize < table.rows.count ? offset + pageSize : nil
        let nextLink: JSONText =
            next.map { n in
                .string(
                    "\(baseURL)/\(scope)/providers/Microsoft.CostManagement/query?api-version=\(apiVersion)&$top=\(pageSize)&$skiptoken=\(Self.encodeSkipToken(n))"
                )
            } ?? .null
        let queryID = UUID().uuidString.lowercased()
        return EmulatorReply.json(
            .object([
                ("id", .string("\(scope)/providers/Microsoft.CostManagement/query/\(queryID)")),
                ("name", .string(queryID)),
                ("type", .string("Microsoft.CostManagement/query")),
                (
                    "properties",
                    .object([
                        ("nextLink", nextLink),
                        ("columns", .array(table.columns.map { .object([("name", .string($0.name)), ("type", .string($0.type))]) })),
                        ("rows", .array(page.map { .array($0) })),
                    ])
                ),
            ]))
    }

    // MARK: - Aggregation

    private func aggregate(_ rows: [EmulatedCostRow], _ query: Query) -> (columns: [(name: String, type: String)], rows: [[JSONText]]) {
        struct Key: Hashable {
            var period: Int
            var groups: [String]
        }
        var sums: [Key: Decimal] = [:]
        for row in rows {
            let period: Int
            switch query.granularity {
            case .daily: period = row.day.yyyymmdd
            case .monthly: period = row.day.firstOfMonth.yyyymmdd
            case .none: period = 0
            }
            sums[Key(period: period, groups: query.grouping.flatMap { $0.values(of: row) }), default: 0] += row.cost
        }
        var columns = query.costColumns.map { (name: $0, type: "Number") }
        columns += query.grouping.flatMap(\.columns).map { (name: $0, type: "String") }
        switch query.granularity {
        case .daily: columns.append((name: "UsageDate", type: "Number"))
        case .monthly: columns.append((name: "BillingMonth", type: "Datetime"))
        case .none: break
        }
        columns.append((name: "Currency", type: "String"))
        let keys = sums.keys.sorted { a, b in a.period != b.period ? a.period < b.period : a.groups.lexicographicallyPrecedes(b.groups) }
        let out: [[JSONText]] = keys.map { key in
            var row: [JSONText] = query.costColumns.map { _ in .number(sums[key]!) }
            row += key.groups.map { .string($0) }
            switch query.granularity {
            case .daily: row.append(.number(key.period))
            case .monthly:
                let d = CivilDate(yyyymmdd: key.period)!
                row.append(.string("\(d.iso8601)T00:00:00"))
            case .none: break
            }
            row.append(.string(configuration.world.currency.code))
            return row
        }
        return (columns, out)
    }

    // MARK: - Parsing the query definition

    private func parse(_ body: [UInt8]) throws(BadRequest) -> Query {
        guard !body.isEmpty,
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        else {
            throw BadRequest(
                message: "Invalid query definition, Dataset is invalid or not supplied. Request body must be a JSON query definition.")
        }
        guard let type = object["type"] as? String else { throw BadRequest(message: "Invalid query definition: 'type' is required.") }
        guard ["actualcost", "usage", "amortizedcost"].contains(type.lowercased()) else {
            throw BadRequest(message: "Invalid query definition: type '\(type)' is not supported; use ActualCost, AmortizedCost or Usage.")
        }
        guard let dataset = object["dataset"] as? [String: Any] else {
            throw BadRequest(message: "Invalid query definition, Dataset is invalid or not supplied.")
        }
        let (first, last) = try timePeriod(object)
        let granularity: Granularity
        switch (dataset["granularity"] as? String ?? "None").lowercased() {
        case "daily": granularity = .daily
        case "monthly": granularity = .monthly
        case "none": granularity = .none
        case let other: throw BadRequest(message: "Invalid query definition: granularity '\(other)' is not supported.")
        }
        var costColumns: [String] = []
        if let aggregation = dataset["aggregation"] as? [String: Any] {
            for (_, value) in aggregation.sorted(by: { $0.key < $1.key }) {
                guard let agg = value as? [String: Any], let name = agg["name"] as? String,
                    (agg["function"] as? String)?.lowercased() == "sum",
                    ["cost", "pretaxcost"].contains(name.lowercased())
                else {
                    throw BadRequest(message: "Invalid query definition: only Sum of Cost or PreTaxCost is supported by the emulator.")
                }
                costColumns.append(name)
            }
        }
        if costColumns.isEmpty { costColumns = [type.lowercased() == "usage" ? "PreTaxCost" : "Cost"] }
        var grouping: [Grouping] = []
        for item in dataset["grouping"] as? [[String: Any]] ?? [] {
            let type = (item["type"] as? String)?.lowercased()
            if type == "tagkey", let key = item["name"] as? String, !key.isEmpty {
                grouping.append(.tag(key))
                continue
            }
            guard type == "dimension", let name = item["name"] as? String, let dimension = Dimension(azureName: name) else {
                throw BadRequest(
                    message:
                        "Invalid query definition: grouping by '\(item["name"] ?? "?")' is not supported by the emulator (ServiceName, ResourceGroup, MeterSubcategory, Meter, or a TagKey)."
                )
            }
            grouping.append(.dimension(dimension))
        }
        guard grouping.count <= 2 else { throw BadRequest(message: "Invalid query definition: at most 2 groupings are allowed.") }
        let filter = try (dataset["filter"] as? [String: Any]).map(parseFilter)
        return Query(
            type: type, first: first, last: last, granularity: granularity, costColumns: costColumns,
            grouping: grouping, filter: filter)
    }

    private func timePeriod(_ object: [String: Any]) throws(BadRequest) -> (CivilDate, CivilDate) {
        let today = configuration.world.today(at: configuration.clock())
        switch (object["timeframe"] as? String ?? "").lowercased() {
        case "monthtodate", "billingmonthtodate":
            return (today.firstOfMonth, today)
        case "thelastmonth", "thelastbillingmonth":
            let previous = today.firstOfMonth.adding(days: -1)
            return (previous.firstOfMonth, previous)
        case "weektodate":
            return (today.adding(days: 1 - today.isoWeekday), today)
        case "custom":
            guard let period = object["timePeriod"] as? [String: Any],
                let from = (period["from"] as? String).flatMap(Self.day), let to = (period["to"] as? String).flatMap(Self.day)
            else {
                throw BadRequest(
                    message: "Invalid query definition: a Custom timeframe needs timePeriod.from and timePeriod.to as ISO 8601 dates.")
            }
            guard from <= to else { throw BadRequest(message: "Invalid query definition: timePeriod.from is after timePeriod.to.") }
            guard from.days(to: to) < 366 else {
                throw BadRequest(message: "Invalid query definition: the time period cannot exceed one year.")
            }
            return (from, to)
        case let other:
            throw BadRequest(message: "Invalid query definition: timeframe '\(other)' is not supported.")
        }
    }

    private func parseFilter(_ object: [String: Any]) throws(BadRequest) -> Filter {
        if let items = object["and"] as? [[String: Any]] {
            var parts: [Filter] = []
            for item in items { parts.append(try parseFilter(item)) }
            return .and(parts)
        }
        if let items = object["or"] as? [[String: Any]] {
            var parts: [Filter] = []
            for item in items { parts.append(try parseFilter(item)) }
            return .or(parts)
        }
        if let inner = object["not"] as? [String: Any] { return .not(try parseFilter(inner)) }
        if let d = object["dimensions"] as? [String: Any], let name = d["name"] as? String,
            let dimension = Dimension(azureName: name), (d["operator"] as? String)?.lowercased() == "in",
            let values = d["values"] as? [String]
        {
            return .dimension(dimension, Set(values.map { $0.lowercased() }))
        }
        throw BadRequest(
            message:
                "Invalid query definition: the emulator filters on ServiceName, ResourceGroup, MeterSubcategory or Meter dimensions with the In operator only."
        )
    }

    static func day(_ text: String) -> CivilDate? { CivilDate(iso8601: text.prefix(10)) }

    static func encodeSkipToken(_ offset: Int) -> String {
        Data("offset:\(offset)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: "/", with: "%2F").replacingOccurrences(
                of: "=", with: "%3D")
    }

    static func decodeSkipToken(_ token: String) -> Int? {
        let unescaped = token.removingPercentEncoding ?? token
        guard let data = Data(base64Encoded: unescaped), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("offset:")
        else { return nil }
        return Int(text.dropFirst("offset:".count))
    }
}
