import Foundation
import QLPCore

/// One MongoDB Atlas invoice as the Admin API v2 returns it
/// (`GET /api/atlas/v2/orgs/{orgId}/invoices[/pending]`).
///
/// Every amount is an integer number of US cents, as Atlas sends it; the
/// `…Dollars` properties give exact `Decimal` dollars. The list endpoint
/// returns invoices without line items (`lineItems` is then empty); the
/// pending and single-invoice endpoints include them.
public struct AtlasInvoice: Sendable, Equatable, Decodable {
    public var id: String
    public var orgID: String
    /// PENDING, CLOSED, INVOICED, PAID, PREPAID, FREE, FAILED or FORGIVEN.
    public var statusName: String
    /// Start of the billing period (UTC), inclusive.
    public var startDate: Date
    /// End of the billing period (UTC): Atlas writes the next period's first
    /// instant, so a midnight end is exclusive.
    public var endDate: Date
    /// subtotal + sales tax − starting balance.
    public var amountBilledCents: Int
    public var amountPaidCents: Int
    /// Credits applied to this invoice (final once it has closed).
    public var creditsCents: Int
    /// Usage before tax and credits.
    public var subtotalCents: Int
    public var salesTaxCents: Int
    public var startingBalanceCents: Int
    public var lineItems: [AtlasLineItem]

    public init(
        id: String, orgID: String, statusName: String, startDate: Date, endDate: Date, amountBilledCents: Int,
        amountPaidCents: Int, creditsCents: Int, subtotalCents: Int, salesTaxCents: Int, startingBalanceCents: Int,
        lineItems: [AtlasLineItem]
    ) {
        self.id = id
        self.orgID = orgID
        self.statusName = statusName
        self.startDate = startDate
        self.endDate = endDate
        self.amountBilledCents = amountBilledCents
        self.amountPaidCents = amountPaidCents
        self.creditsCents = creditsCents
        self.subtotalCents = subtotalCents
        self.salesTaxCents = salesTaxCents
        self.startingBalanceCents = startingBalanceCents
        self.lineItems = lineItems
    }

    public var isPending: Bool { statusName.uppercased() == "PENDING" }

    public var amountBilledDollars: Decimal { AtlasCents.dollars(amountBilledCents) }
    public var amountPaidDollars: Decimal { AtlasCents.dollars(amountPaidCents) }
    public var creditsDollars: Decimal { AtlasCents.dollars(creditsCents) }
    public var subtotalDollars: Decimal { AtlasCents.dollars(subtotalCents) }
    public var salesTaxDollars: Decimal { AtlasCents.dollars(salesTaxCents) }
    public var startingBalanceDollars: Decimal { AtlasCents.dollars(startingBalanceCents) }

    /// The billing period in UTC days, both inclusive.
    public var period: DayRange { AtlasDates.days(from: startDate, to: endDate) }

    /// What the credit computation (``AtlasCreditUse``) reads.
    public var creditTotals: AtlasInvoiceTotals {
        AtlasInvoiceTotals(id: id, status: statusName, period: period, subtotalCents: subtotalCents, creditsCents: creditsCents)
    }

    enum CodingKeys: String, CodingKey {
        case id
        case orgID = "orgId"
        case statusName, startDate, endDate, amountBilledCents, amountPaidCents, creditsCents
        case subtotalCents, salesTaxCents, startingBalanceCents, lineItems
    }

    /// Identity, status, period and subtotal are required; the other amounts
    /// default to zero (the Atlas SDK treats them all as optional). Amounts
    /// beyond 10^15 cents are refused (`OutsideCount`): credits are summed
    /// and taken by size.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        orgID = try c.decode(String.self, forKey: .orgID)
        statusName = try c.decode(String.self, forKey: .statusName)
        startDate = try AtlasDates.decode(c, .startDate)
        endDate = try AtlasDates.decode(c, .endDate)
        subtotalCents = try c.decodeOutsideCount(forKey: .subtotalCents)
        amountBilledCents = try c.decodeOutsideCountIfPresent(forKey: .amountBilledCents) ?? 0
        amountPaidCents = try c.decodeOutsideCountIfPresent(forKey: .amountPaidCents) ?? 0
        creditsCents = try c.decodeOutsideCountIfPresent(forKey: .creditsCents) ?? 0
        salesTaxCents = try c.decodeOutsideCountIfPresent(forKey: .salesTaxCents) ?? 0
        startingBalanceCents = try c.decodeOutsideCountIfPresent(forKey: .startingBalanceCents) ?? 0
        lineItems = try c.decodeIfPresent([AtlasLineItem].self, forKey: .lineItems) ?? []
    }
}

/// One line of an Atlas invoice: a SKU's usage over (usually) one day.
public struct AtlasLineItem: Sendable, Equatable, Decodable {
    public var clusterName: String?
    /// The project.
    public var groupName: String?
    public var groupID: String?
    /// e.g. ATLAS_AWS_INSTANCE_M10, ATLAS_AWS_DATA_TRANSFER_DIFFERENT_REGION.
    public var sku: String
    public var quantity: Decimal
    /// e.g. "server hours", "GB", "GB days".
    public var unit: String
    public var unitPriceDollars: Decimal
    /// unitPriceDollars × quantity × 100, rounded by Atlas.
    public var totalPriceCents: Int
    public var startDate: Date
    public var endDate: Date

    public init(
        clusterName: String?, groupName: String?, groupID: String? = nil, sku: String, quantity: Decimal, unit: String,
        unitPriceDollars: Decimal, totalPriceCents: Int, startDate: Date, endDate: Date
    ) {
        self.clusterName = clusterName
        self.groupName = groupName
        self.groupID = groupID
        self.sku = sku
        self.quantity = quantity
        self.unit = unit
        self.unitPriceDollars = unitPriceDollars
        self.totalPriceCents = totalPriceCents
        self.startDate = startDate
        self.endDate = endDate
    }

    public var totalPriceDollars: Decimal { AtlasCents.dollars(totalPriceCents) }

    enum CodingKeys: String, CodingKey {
        case clusterName, groupName
        case groupID = "groupId"
        case sku, quantity, unit, unitPriceDollars, totalPriceCents, startDate, endDate
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        clusterName = try c.decodeIfPresent(String.self, forKey: .clusterName)
        groupName = try c.decodeIfPresent(String.self, forKey: .groupName)
        groupID = try c.decodeIfPresent(String.self, forKey: .groupID)
        sku = try c.decode(String.self, forKey: .sku)
        quantity = try c.decodeIfPresent(Decimal.self, forKey: .quantity) ?? 0
        unit = try c.decodeIfPresent(String.self, forKey: .unit) ?? ""
        unitPriceDollars = try c.decodeIfPresent(Decimal.self, forKey: .unitPriceDollars) ?? 0
        totalPriceCents = try c.decodeOutsideCount(forKey: .totalPriceCents)
        startDate = try AtlasDates.decode(c, .startDate)
        endDate = try AtlasDates.decode(c, .endDate)
    }
}

/// A page of a list endpoint: `results`, `totalCount` and `links` (rel self/next/previous).
struct AtlasPage<Item: Decodable>: Decodable {
    struct Link: Decodable {
        var href: String?
        var rel: String?
    }

    var results: [Item]
    var totalCount: Int?
    var links: [Link]?

    var hasNext: Bool { links?.contains { $0.rel == "next" } ?? false }
}

/// Atlas's ISO 8601 instants: "2026-10-01T00:00:00Z", with or without
/// fractional seconds, "Z" or a numeric offset.
enum AtlasDates {
    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> Date {
        let text = try c.decode(String.self, forKey: key)
        guard let date = parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "expected an ISO 8601 date-time, found '\(text.prefix(40))'")
        }
        return date
    }

    static func parse(_ text: String) -> Date? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 10, let day = CivilDate(iso8601: text.prefix(10)) else { return nil }
        var seconds = day.dayNumber * 86_400
        var i = 10
        if i == utf8.count { return date(seconds) }
        guard utf8[i] == UInt8(ascii: "T") || utf8[i] == UInt8(ascii: "t") else { return nil }
        i += 1
        func number(_ width: Int) -> Int? {
            guard i + width <= utf8.count else { return nil }
            var value = 0
            for byte in utf8[i..<(i + width)] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            i += width
            return value
        }
        func expect(_ char: Character) -> Bool {
            guard i < utf8.count, utf8[i] == char.asciiValue else { return false }
            i += 1
            return true
        }
        guard let h = number(2), expect(":"), let m = number(2), h < 24, m < 60 else { return nil }
        var s = 0
        if expect(":") {
            guard let value = number(2), value < 61 else { return nil }
            s = value
            if expect(".") { while i < utf8.count, utf8[i] >= 0x30, utf8[i] <= 0x39 { i += 1 } }  // sub-second: dropped
        }
        seconds += h * 3600 + m * 60 + s
        if i == utf8.count || expect("Z") || expect("z") { return i == utf8.count ? date(seconds) : nil }
        let sign: Int
        if expect("+") { sign = -1 } else if expect("-") { sign = 1 } else { return nil }
        guard let oh = number(2) else { return nil }
        _ = expect(":")
        let om = number(2) ?? 0
        guard i == utf8.count else { return nil }
        return date(seconds + sign * (oh * 3600 + om * 60))
    }

    private static func date(_ seconds: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    /// UTC days from `start` to `end`, both inclusive; an end at midnight is
    /// the next period's start, so its day is not included.
    static func days(from start: Date, to end: Date) -> DayRange {
        let utc = TimeZone(identifier: "UTC")!
        let first = CivilDate(start, in: utc)
        var last = CivilDate(end, in: utc)
        if end == last.startInstant(in: utc), last > first { last = last.adding(days: -1) }
        return DayRange(first, max(first, last))!
    }
}
