import Foundation

/// Any JSON value, for `dynamic` columns (customDimensions and the like).
public indirect enum DynamicJSON: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([DynamicJSON])
    case object([String: DynamicJSON])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Decimal.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([DynamicJSON].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: DynamicJSON].self))
        }
    }

    public subscript(key: String) -> DynamicJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}

/// One value in a query result row. Rows mix numbers, strings, booleans,
/// nulls and dynamic JSON, and older answers (Microsoft's examples among
/// them) send numbers and booleans as strings ("3.3833", "True"): the
/// accessors read either form.
public enum LogQueryCell: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    /// Exact digits as sent (a cost column stays exact).
    case number(Decimal)
    case string(String)
    /// An object or array.
    case dynamic(DynamicJSON)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Decimal.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else {
            self = .dynamic(try c.decode(DynamicJSON.self))
        }
    }

    public var isNull: Bool { self == .null }

    /// Text as sent; numbers and booleans in their JSON form; nil for null and dynamic.
    public var text: String? {
        switch self {
        case .string(let s): s
        case .number(let n): "\(n)"
        case .bool(let b): b ? "true" : "false"
        case .null, .dynamic: nil
        }
    }

    /// The number, also from a numeric string.
    public var decimal: Decimal? {
        switch self {
        case .number(let n): n
        case .string(let s):
            // Decimal(string:) would read the "12" of "12abc"; Double() checks the whole text first.
            Double(s.trimmingCharacters(in: .whitespaces)) == nil
                ? nil
                : Decimal(string: s.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// The number as a Double (metrics, durations; never money).
    public var double: Double? {
        switch self {
        case .number(let n): NSDecimalNumber(decimal: n).doubleValue
        case .string(let s): Double(s.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    public var int: Int? {
        if case .string(let s) = self, let n = Int(s.trimmingCharacters(in: .whitespaces)) { return n }
        guard let d = double, d.rounded() == d, abs(d) < 9e15 else { return nil }
        return Int(d)
    }

    /// true/false, also from "True"/"false" strings.
    public var bool: Bool? {
        switch self {
        case .bool(let b): b
        case .string(let s): s.lowercased() == "true" ? true : s.lowercased() == "false" ? false : nil
        default: nil
        }
    }

    /// An instant from a datetime column ("2018-02-01T17:33:09.788Z").
    public var date: Date? { text.flatMap(AzureTimespan.parse) }

    /// Dynamic JSON, also when it arrives as a JSON string (as in the examples).
    public var json: DynamicJSON? {
        switch self {
        case .dynamic(let j): return j
        case .string(let s):
            guard let first = s.first, first == "{" || first == "[" else { return nil }
            return try? JSONDecoder().decode(DynamicJSON.self, from: Data(s.utf8))
        default: return nil
        }
    }
}

public struct LogQueryColumn: Sendable, Equatable, Decodable {
    public var name: String
    /// datetime, string, real, int, long, bool, dynamic, guid, timespan, decimal.
    public var type: String?

    public init(name: String, type: String?) {
        self.name = name
        self.type = type
    }
}

public struct LogQueryTable: Sendable, Equatable, Decodable {
    public var name: String
    public var columns: [LogQueryColumn]
    public var rows: [[LogQueryCell]]

    public init(name: String, columns: [LogQueryColumn], rows: [[LogQueryCell]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    public func columnIndex(_ name: String) -> Int? {
        columns.firstIndex { $0.name == name } ?? columns.firstIndex { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// The cell of `column` in row `row` (nil if either is out of range).
    public func cell(_ row: Int, _ column: String) -> LogQueryCell? {
        guard let i = columnIndex(column), row < rows.count, i < rows[row].count else { return nil }
        return rows[row][i]
    }
}

/// The answer of Application Insights and Log Analytics queries:
/// {"tables": [{"name", "columns", "rows"}]}, perhaps with a partial error.
public struct LogQueryResult: Sendable, Equatable, Decodable {
    public var tables: [LogQueryTable]
    /// Set when the service answered 200 with only part of the data
    /// ({"tables": [...], "error": {...}}).
    public var partialError: String?

    public init(tables: [LogQueryTable], partialError: String? = nil) {
        self.tables = tables
        self.partialError = partialError
    }

    enum CodingKeys: String, CodingKey { case tables, error }

    struct ErrorPart: Decodable {
        var code: String?
        var message: String?
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tables = try c.decode([LogQueryTable].self, forKey: .tables)
        let error = try? c.decodeIfPresent(ErrorPart.self, forKey: .error)
        partialError = error.flatMap { e in [e.code, e.message].compactMap { $0 }.joined(separator: ": ") }.flatMap {
            $0.isEmpty ? nil : $0
        }
    }

    /// The first table ("PrimaryResult").
    public var primary: LogQueryTable? { tables.first { $0.name == "PrimaryResult" } ?? tables.first }
}

extension AzureWireDecoding {
    public static func logQuery(_ body: [UInt8]) throws -> LogQueryResult {
        try JSONDecoder().decode(LogQueryResult.self, from: body)
    }
}
