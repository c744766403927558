import Foundation
import QLPCore

/// The `budget` section, with the checks finance relies on: all five buckets
/// present, each with an amount, summing exactly to the total, and no Azure
/// service claimed by two buckets.
enum BudgetSectionParser {
    static let keys = [
        "currency", "total", "credit_start", "credit_expiry", "billing_time_zone", "monthly", "allocation",
        "atlas_credits", "exchange_rates", "report_tag",
    ]
    static let monthlyKeys = ["amount", "alerts"]
    /// The keys of each bucket under `allocation` (the buckets themselves are CreditCategory's).
    static let allocationKeys = ["label", "amount", "services"]
    static let creditKeys = ["amount", "start", "expiry"]

    static func parse(_ section: ConfigValue, _ r: ConfigReader) -> BudgetPlan? {
        guard let map = r.mapping(section, allowed: keys)
        else { return nil }
        var currency = Currency.gbp
        if let value = r.optional(map, "currency"), let code = r.string(value) {
            if code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) {
                currency = Currency(code: code)
            } else {
                r.fail(value, "expected a three-letter ISO 4217 code such as GBP, found '\(code)'")
            }
        }
        let totalValue = r.required(map, "total")
        let total = totalValue.flatMap { r.nonNegativeDecimal($0, example: "5000.00") }
        let start = r.required(map, "credit_start").flatMap(r.date)
        let expiryValue = r.required(map, "credit_expiry")
        let expiry = expiryValue.flatMap(r.date)
        var period: DayRange?
        if let start, let expiry, let expiryValue {
            period = DayRange(start, expiry)
            if period == nil { r.fail(expiryValue, "the credit expires (\(expiry)) before it starts (\(start))") }
        }
        var zone = "Europe/London"
        if let value = r.optional(map, "billing_time_zone"), let name = r.string(value) {
            if TimeZone(identifier: name) != nil {
                zone = name
            } else {
                r.fail(value, "unknown time zone '\(name)'; use an IANA name such as Europe/London")
            }
        }
        let monthly = r.required(map, "monthly").flatMap { monthlyBudget($0, r) }
        let allocations = r.required(map, "allocation").flatMap { allocation($0, r) }
        var atlas: CreditGrant?
        if let value = r.optional(map, "atlas_credits") { atlas = credits(value, r) }
        var rates: [String: Decimal] = [:]
        if let value = r.optional(map, "exchange_rates"), let entries = r.mapping(value) {
            for entry in entries.entries {
                guard entry.key.count == 3, entry.key.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                    r.fail(at: entry.keyNode, path: entry.value.path, "expected a three-letter currency code such as USD")
                    continue
                }
                guard let rate = r.decimal(entry.value, example: "0.79") else { continue }
                guard rate > 0 else {
                    r.fail(entry.value, "a rate must be positive")
                    continue
                }
                rates[entry.key] = rate
            }
        }
        let reportTag = r.optional(map, "report_tag").flatMap(r.nonEmptyString) ?? "CostCenter"

        if let allocations, let total, let totalValue, allocations.count == CreditCategory.allCases.count {
            let sum = allocations.reduce(Decimal(0)) { $0 + $1.amount }
            if sum != total {
                let format = MoneyFormat.standard
                r.fail(
                    totalValue,
                    "the allocations sum to \(format.string(sum, currency: currency)) but the total is "
                        + "\(format.string(total, currency: currency)) (difference \(format.string(total - sum, currency: currency)))")
            }
        }
        guard let total, let period, let monthly, let allocations else { return nil }
        return BudgetPlan(
            currency: currency, total: total, creditPeriod: period, billingTimeZone: zone,
            monthly: monthly, allocations: allocations, atlasCredits: atlas, exchangeRates: rates,
            reportTag: reportTag)
    }

    static func monthlyBudget(_ value: ConfigValue, _ r: ConfigReader) -> MonthlyBudget? {
        guard let map = r.mapping(value, allowed: monthlyKeys) else { return nil }
        let amount = r.required(map, "amount").flatMap { r.nonNegativeDecimal($0, example: "1000.00") }
        var thresholds: [Decimal] = [80, 95]
        if let alerts = r.optional(map, "alerts"), let items = r.sequence(alerts) {
            thresholds = []
            for item in items {
                guard let t = r.decimal(item, example: "80") else { continue }
                if t <= 0 || t > 1000 {
                    r.fail(item, "a threshold is a percentage of the budget between 0 and 1000, found \(t)")
                } else if thresholds.contains(t) {
                    r.fail(item, "threshold \(t) is listed twice")
                } else {
                    thresholds.append(t)
                }
            }
        }
        return amount.map { MonthlyBudget(amount: $0, alertThresholds: thresholds) }
    }

    static func allocation(_ value: ConfigValue, _ r: ConfigReader) -> [CategoryAllocation]? {
        let known = CreditCategory.allCases.map(\.key)
        guard let map = r.mapping(value) else { return nil }
        var result: [CategoryAllocation] = []
        var owner: [String: (CreditCategory, ConfigValue)] = [:]
        for entry in map.entries {
            guard let category = CreditCategory(rawValue: entry.key) else {
                r.fail(
                    at: entry.keyNode, path: entry.value.path,
                    "unknown category; the allocation has exactly these: \(known.joined(separator: ", "))")
                continue
            }
            guard let fields = r.mapping(entry.value, allowed: allocationKeys) else { continue }
            let label = r.optional(fields, "label").flatMap(r.nonEmptyString)
            let amount = r.required(fields, "amount").flatMap { r.nonNegativeDecimal($0) }
            var services: [String] = []
            if let list = r.required(fields, "services"), let items = r.sequence(list) {
                for item in items {
                    guard let name = r.nonEmptyString(item) else { continue }
                    let normal = name.trimmingCharacters(in: .whitespaces).lowercased()
                    if let (other, _) = owner[normal] {
                        r.fail(
                            item,
                            other == category
                                ? "'\(name)' is listed twice"
                                : "'\(name)' is already mapped to \(other.key); a service's cost can count in one bucket only")
                    } else {
                        owner[normal] = (category, item)
                        services.append(name)
                    }
                }
            }
            if let amount {
                result.append(CategoryAllocation(category: category, label: label, amount: amount, services: services))
            }
        }
        let present = Set(map.keys)
        for category in CreditCategory.allCases where !present.contains(category.key) {
            r.failSection(value, "missing category '\(category.key)' (\(category.defaultLabel)); every bucket needs an amount")
        }
        // Finance reads the buckets in the plan's order, whatever the file's order.
        return result.sorted { $0.category < $1.category }
    }

    static func credits(_ value: ConfigValue, _ r: ConfigReader) -> CreditGrant? {
        guard let map = r.mapping(value, allowed: creditKeys) else { return nil }
        let amount = r.required(map, "amount").flatMap { r.nonNegativeDecimal($0, example: "500.00") }
        let start = r.required(map, "start").flatMap(r.date)
        let expiryValue = r.required(map, "expiry")
        let expiry = expiryValue.flatMap(r.date)
        guard let amount, let start, let expiry, let expiryValue else { return nil }
        guard let period = DayRange(start, expiry) else {
            r.fail(expiryValue, "the credit expires (\(expiry)) before it starts (\(start))")
            return nil
        }
        return CreditGrant(amount: amount, period: period)
    }
}
