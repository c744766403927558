import Foundation
import QLPCore

/// One value in a Cost Management row: rows are positional and mix numbers
/// and strings, described by the `columns` list.
public enum CostQueryCell: Sendable, Equatable, Decodable {
    case number(Decimal)
    case string(String)
    case null

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
            return
        }
        if let n = try? c.decode(Decimal.self) {
            self = .number(n)
            return
        }
        if let s = try? c.decode(String.self) {
            self = .string(s)
            return
        }
        throw DecodingError.typeMismatch(
            CostQueryCell.self,
            .init(
                codingPath: decoder.codingPath,
                debugDescription: "a row value must be a number, a string or null"))
    }
}

public struct CostQueryColumn: Sendable, Equatable, Decodable {
    public var name: String
    public var type: String

    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }
}

/// The wire body of a query or forecast answer.
struct CostQueryResponse: Decodable {
    struct Properties: Decodable {
        var nextLink: String?
        var columns: [CostQueryColumn]
        var rows: [[CostQueryCell]]
    }

    var id: String?
    var name: String?
    var type: String?
    var properties: Properties
}

/// All pages of a query, joined.
public struct CostQueryResult: Sendable, Equatable {
    public var columns: [CostQueryColumn]
    public var rows: [[CostQueryCell]]
    /// How many pages (HTTP calls) it took.
    public var pages: Int

    public init(columns: [CostQueryColumn], rows: [[CostQueryCell]], pages: Int) {
        self.columns = columns
        self.rows = rows
        self.pages = pages
    }

    public func columnIndex(_ names: String...) -> Int? {
        for name in names {
            if let i = columns.firstIndex(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) { return i }
        }
        return nil
    }

    public struct ShapeError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads rows of a daily, ServiceName-grouped query by column name (never
    /// by position: Azure does not promise an order).
    public func dailyCosts() throws(ShapeError) -> [DailyCost] {
        guard let cost = columnIndex("Cost", "PreTaxCost", "CostInBillingCurrency") else {
            throw ShapeError(description: "no cost column (Cost or PreTaxCost) among \(columns.map(\.name))")
        }
        guard let date = columnIndex("UsageDate") else { throw ShapeError(description: "no UsageDate column; was the granularity Daily?") }
        guard let service = columnIndex("ServiceName") else {
            throw ShapeError(description: "no ServiceName column; was it grouped by ServiceName?")
        }
        guard let currency = columnIndex("Currency", "BillingCurrency") else { throw ShapeError(description: "no Currency column") }
        var out: [DailyCost] = []
        out.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() {
            guard row.count == columns.count else {
                throw ShapeError(description: "row \(i + 1) has \(row.count) values for \(columns.count) columns")
            }
            guard case .number(let amount) = row[cost] else { throw ShapeError(description: "row \(i + 1): the cost is not a number") }
            guard let day = Self.day(row[date]) else { throw ShapeError(description: "row \(i + 1): UsageDate is not a yyyyMMdd date") }
            let name: String
            switch row[service] {
            case .string(let s): name = s
            case .null: name = ""  // Azure leaves some charges without a service name
            case .number(let n): name = "\(n)"
            }
            guard case .string(let code) = row[currency] else { throw ShapeError(description: "row \(i + 1): Currency is not text") }
            out.append(DailyCost(day: day, service: name, amount: amount, currency: Currency(code: code)))
        }
        return out
    }

    /// Rows of a daily query grouped by ServiceName and ResourceGroup, as
    /// records the finance report reads.
    public func dailyRecords() throws(ShapeError) -> [CostRecord] {
        let costs = try dailyCosts()
        let group = columnIndex("ResourceGroup", "ResourceGroupName")
        return zip(costs, rows).map { cost, row in
            var rg: String?
            if let group, case .string(let name) = row[group], !name.isEmpty { rg = name }
            return CostRecord(day: cost.day, amount: cost.amount, currency: cost.currency, service: cost.service, resourceGroup: rg)
        }
    }

    /// Rows of a daily query grouped by a TagKey: spend per tag value per day,
    /// "" for rows without the tag.
    public func dailyTagSpend() throws(ShapeError) -> (currency: Currency?, spend: [String: DailySpend]) {
        guard let cost = columnIndex("Cost", "PreTaxCost", "CostInBillingCurrency") else { throw ShapeError(description: "no cost column") }
        guard let date = columnIndex("UsageDate") else { throw ShapeError(description: "no UsageDate column") }
        guard let value = columnIndex("TagValue") else { throw ShapeError(description: "no TagValue column; was it grouped by a TagKey?") }
        let currencyColumn = columnIndex("Currency", "BillingCurrency")
        var spend: [String: DailySpend] = [:]
        var currency: Currency?
        for (i, row) in rows.enumerated() {
            guard row.count == columns.count, case .number(let amount) = row[cost], let day = Self.day(row[date]) else {
                throw ShapeError(description: "row \(i + 1) is not a cost, a UsageDate and a tag value")
            }
            var tag = ""
            if case .string(let text) = row[value] { tag = text }
            spend[tag, default: DailySpend()].add(amount, on: day)
            if let currencyColumn, case .string(let code) = row[currencyColumn] { currency = Currency(code: code) }
        }
        return (currency, spend)
    }

    /// UsageDate is a number (20261125) in every published example; some API
    /// versions send a string ("2026-11-25T00:00:00"), so both are read.
    static func day(_ cell: CostQueryCell) -> CivilDate? {
        switch cell {
        case .number(let n): n.intValueIfWhole.flatMap(CivilDate.init(yyyymmdd:))
        case .string(let s): CivilDate(iso8601: s.prefix(10)) ?? Int(s).flatMap(CivilDate.init(yyyymmdd:))
        case .null: nil
        }
    }
}
