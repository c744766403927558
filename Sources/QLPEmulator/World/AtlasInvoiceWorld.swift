import Foundation
import QLPCore

/// One line of an emulated Atlas invoice: a SKU's usage on one UTC day.
struct EmulatedAtlasLineItem: Sendable, Equatable {
    var clusterName: String?
    var groupName: String
    var groupID: String
    var sku: String
    var quantity: Decimal
    var unit: String
    var unitPriceDollars: Decimal
    var totalPriceCents: Int
    var day: CivilDate
}

/// One emulated Atlas invoice: a calendar month, in US cents.
struct EmulatedAtlasInvoice: Sendable, Equatable {
    var id: String
    var status: String
    /// The first of the month; the period ends at the next month's first instant.
    var month: CivilDate
    var lineItems: [EmulatedAtlasLineItem]
    var subtotalCents: Int
    var creditsCents: Int
    var amountBilledCents: Int
    var amountPaidCents: Int

    var isPending: Bool { status == "PENDING" }
}

/// The Atlas side of the emulated world: a QuantumLayer organisation with a
/// production M20 and a staging M10 replica set on AWS, billed monthly in
/// USD. Each past calendar month since the world's first day is a closed
/// invoice, the current month is the pending one (complete days only, as
/// Atlas accrues usage daily). Credits pay closed invoices in full while the
/// USD credit lasts, then in part, then not at all; the pending invoice has
/// none applied yet. Deterministic for the world's seed.
struct AtlasInvoiceWorld: Sendable {
    let seed: UInt64
    let firstDay: CivilDate
    let creditCents: Int

    init(world: CostWorld, creditCents: Int) {
        self.seed = world.seed
        self.firstDay = world.firstDay
        self.creditCents = creditCents
    }

    /// A SKU billed every day: a fixed quantity, or a noisy one (GB moved).
    struct Usage: Sendable {
        var clusterName: String?
        var project: Project
        var sku: String
        var unit: String
        var unitPriceDollars: Decimal
        var quantity: Decimal
        /// Relative day-to-day swing of the quantity, 0 for none.
        var spread: Decimal
    }

    struct Project: Sendable {
        var name: String
        var id: String
    }

    static let production = Project(name: "QuantumLayer Platform", id: "6530f0a1e0b2c3d4e5f6a001")
    static let staging = Project(name: "QuantumLayer Staging", id: "6530f0a1e0b2c3d4e5f6a002")

    /// Plausible AWS prices (USD): M20 $0.20 and M10 $0.08 a cluster hour;
    /// transfer $0.01 (same region), $0.02 (cross region), $0.09 (internet)
    /// a GB; snapshot storage $0.0046 a GB day (about $0.14 a GB month).
    static let usages: [Usage] = [
        Usage(
            clusterName: "qlp-prod", project: production, sku: "ATLAS_AWS_INSTANCE_M20", unit: "server hours",
            unitPriceDollars: Decimal(string: "0.20")!, quantity: 24, spread: 0),
        Usage(
            clusterName: "qlp-prod", project: production, sku: "ATLAS_AWS_DATA_TRANSFER_SAME_REGION", unit: "GB",
            unitPriceDollars: Decimal(string: "0.01")!, quantity: 18, spread: Decimal(string: "0.4")!),
        Usage(
            clusterName: "qlp-prod", project: production, sku: "ATLAS_AWS_DATA_TRANSFER_DIFFERENT_REGION", unit: "GB",
            unitPriceDollars: Decimal(string: "0.02")!, quantity: 3, spread: Decimal(string: "0.5")!),
        Usage(
            clusterName: "qlp-prod", project: production, sku: "ATLAS_AWS_DATA_TRANSFER_INTERNET", unit: "GB",
            unitPriceDollars: Decimal(string: "0.09")!, quantity: Decimal(string: "1.2")!, spread: Decimal(string: "0.5")!),
        Usage(
            clusterName: "qlp-prod", project: production, sku: "ATLAS_AWS_BACKUP_SNAPSHOT_STORAGE", unit: "GB days",
            unitPriceDollars: Decimal(string: "0.0046")!, quantity: 38, spread: Decimal(string: "0.05")!),
        Usage(
            clusterName: "qlp-staging", project: staging, sku: "ATLAS_AWS_INSTANCE_M10", unit: "server hours",
            unitPriceDollars: Decimal(string: "0.08")!, quantity: 24, spread: 0),
        Usage(
            clusterName: "qlp-staging", project: staging, sku: "ATLAS_AWS_DATA_TRANSFER_SAME_REGION", unit: "GB",
            unitPriceDollars: Decimal(string: "0.01")!, quantity: 4, spread: Decimal(string: "0.5")!),
    ]

    /// Every invoice as of `instant`, oldest first; the last is the pending one.
    func invoices(at instant: Date) -> [EmulatedAtlasInvoice] {
        let today = CivilDate(instant, in: TimeZone(identifier: "UTC")!)
        var month = min(firstDay, today).firstOfMonth
        var creditLeft = creditCents
        var result: [EmulatedAtlasInvoice] = []
        while month < today.firstOfMonth {
            let items = lineItems(month: month, through: month.lastOfMonth)
            let subtotal = items.reduce(0) { $0 + $1.totalPriceCents }
            let credits = min(subtotal, max(0, creditLeft))
            creditLeft -= credits
            result.append(
                EmulatedAtlasInvoice(
                    id: Self.objectID(seed: seed, salt: 0xA71A, number: month.dayNumber),
                    status: credits == subtotal ? "CLOSED" : "PAID", month: month, lineItems: items,
                    subtotalCents: subtotal, creditsCents: credits, amountBilledCents: subtotal,
                    amountPaidCents: subtotal - credits))
            month = month.adding(months: 1)
        }
        let items = lineItems(month: month, through: today.adding(days: -1))
        let subtotal = items.reduce(0) { $0 + $1.totalPriceCents }
        result.append(
            EmulatedAtlasInvoice(
                id: Self.objectID(seed: seed, salt: 0xA71A, number: month.dayNumber),
                status: "PENDING", month: month, lineItems: items, subtotalCents: subtotal,
                creditsCents: 0, amountBilledCents: subtotal, amountPaidCents: 0))
        return result
    }

    /// Daily line items of `month` from the world's first day through `last`.
    private func lineItems(month: CivilDate, through last: CivilDate) -> [EmulatedAtlasLineItem] {
        guard let days = DayRange(max(month, firstDay), min(last, month.lastOfMonth)) else { return [] }
        let noise = SeededNoise(seed: seed)
        var items: [EmulatedAtlasLineItem] = []
        for day in days {
            for (index, usage) in Self.usages.enumerated() {
                var quantity = usage.quantity
                if usage.spread > 0 {
                    let swing = Decimal(noise.signedMillionths(stream: 10_000 + index, day: day.dayNumber, salt: 0xA71A)) / 1_000_000
                    quantity = (quantity * (1 + usage.spread * swing)).rounded(scale: 2)
                }
                let cents = (quantity * usage.unitPriceDollars * 100).rounded(scale: 0).intValueIfWhole ?? 0
                items.append(
                    EmulatedAtlasLineItem(
                        clusterName: usage.clusterName, groupName: usage.project.name,
                        groupID: usage.project.id, sku: usage.sku, quantity: quantity, unit: usage.unit,
                        unitPriceDollars: usage.unitPriceDollars, totalPriceCents: cents, day: day))
            }
        }
        return items
    }

    /// A 24-hex-digit id shaped like a MongoDB ObjectId, stable for a seed.
    static func objectID(seed: UInt64, salt: UInt64, number: Int) -> String {
        let high = SeededNoise.mix(seed ^ salt ^ UInt64(bitPattern: Int64(number)))
        let low = SeededNoise.mix(high ^ 0x5EED) & 0xFFFF_FFFF
        func hex(_ value: UInt64, width: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return hex(high, width: 16) + hex(low, width: 8)
    }
}
