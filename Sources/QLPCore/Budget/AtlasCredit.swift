import Foundation

// MongoDB Atlas credit use: how much of the Atlas credit grant (the £500)
// the organisation's invoices have consumed, in the budget's currency.
//
// What counts as used (finops.md §6.4):
//
//     used_usd = Σ creditsCents   of the closed invoices whose billing period overlaps the credit period
//              + subtotalCents    of the pending invoice (if its period overlaps the credit period)
//     used     = used_usd / 100 × rate          (rate = budget currency per USD, budget.exchange_rates.USD)
//
// - Closed invoices count the credits Atlas actually applied to them, not
//   their subtotal: usage beyond the credit was paid by card and did not
//   consume it.
// - The pending invoice (the current billing cycle) counts its whole subtotal:
//   Atlas applies credits only when an invoice closes, so until then every
//   dollar of usage is a claim on the credit.
// - Atlas bills in USD only. Converting needs a rate the user sets; there is
//   no silent default, and the rate used is carried in the result to be shown
//   beside the figures.
// - An invoice whose billing period merely overlaps the credit period counts
//   whole: Atlas reports credits per invoice, not per day.

/// US cents to dollars, exactly.
public enum AtlasCents {
    /// `cents` as a dollar amount with two decimal places, built from its digits
    /// (no division, no binary floating point): 12345 -> 123.45.
    public static func dollars(_ cents: Int) -> Decimal {
        Decimal(sign: cents < 0 ? .minus : .plus, exponent: -2, significand: Decimal(cents.magnitude))
    }
}

/// One Atlas invoice as the credit computation needs it. QLPAzure's
/// `AtlasInvoice.creditTotals` builds it from the Admin API's invoice.
public struct AtlasInvoiceTotals: Sendable, Equatable {
    public var id: String
    /// Atlas's statusName: PENDING, CLOSED, INVOICED, PAID, PREPAID, FREE, FAILED or FORGIVEN.
    public var status: String
    /// The billing period in UTC days, both inclusive.
    public var period: DayRange
    /// Usage before tax and credits, in US cents.
    public var subtotalCents: Int
    /// Credits Atlas applied to the invoice, in US cents (final once closed).
    public var creditsCents: Int

    public init(id: String, status: String, period: DayRange, subtotalCents: Int, creditsCents: Int) {
        self.id = id
        self.status = status
        self.period = period
        self.subtotalCents = subtotalCents
        self.creditsCents = creditsCents
    }

    /// The current billing cycle's invoice, still accruing.
    public var isPending: Bool { status.uppercased() == "PENDING" }
}

/// The USD rate Atlas amounts are converted at, for showing beside them.
public struct AtlasUSDRate: Sendable, Equatable, CustomStringConvertible {
    /// Units of `currency` per one US dollar (GBP: 0.79).
    public var perUSD: Decimal
    /// The budget's currency, which the credit grant is in.
    public var currency: Currency

    public init(perUSD: Decimal, currency: Currency) {
        self.perUSD = perUSD
        self.currency = currency
    }

    /// Whether a conversion happens at all (false when the budget is in USD).
    public var converts: Bool { currency != .usd }

    /// "0.79 GBP per USD (budget.exchange_rates.USD)", or "USD, no conversion".
    public var description: String {
        converts
            ? "\(NSDecimalNumber(decimal: perUSD).stringValue) \(currency.code) per USD (budget.exchange_rates.USD)"
            : "USD, no conversion"
    }

    /// The rate for a budget in `currency`: 1 when that is USD, else `exchangeRates["USD"]` (budget.exchange_rates.USD).
    public static func forBudget(currency: Currency, exchangeRates: [String: Decimal]) throws(AtlasCreditError) -> AtlasUSDRate {
        if currency == .usd { return AtlasUSDRate(perUSD: 1, currency: .usd) }
        guard let rate = exchangeRates["USD"] else { throw .missingExchangeRate(budgetCurrency: currency.code) }
        guard rate > 0 else { throw .invalidExchangeRate(rate) }
        return AtlasUSDRate(perUSD: rate, currency: currency)
    }
}

/// Why Atlas credit use cannot be computed.
public enum AtlasCreditError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Atlas bills in USD and the budget has no USD rate.
    case missingExchangeRate(budgetCurrency: String)
    /// A zero or negative rate.
    case invalidExchangeRate(Decimal)
    /// The budget has no atlas_credits section.
    case noCreditGrant

    public var description: String {
        switch self {
        case .missingExchangeRate(let code):
            "MongoDB Atlas bills in USD and the budget is in \(code): set budget.exchange_rates.USD "
                + "(\(code) per USD, e.g. 0.79) in the config to convert Atlas invoices"
        case .invalidExchangeRate(let rate):
            "budget.exchange_rates.USD must be positive, found \(NSDecimalNumber(decimal: rate).stringValue)"
        case .noCreditGrant:
            "no MongoDB Atlas credits are configured: add budget.atlas_credits (amount, start, expiry)"
        }
    }
}

/// How much of the Atlas credit is used, what is left, and when it runs out.
public struct AtlasCreditUse: Sendable, Equatable {
    /// Which figure of an invoice counts against the credit.
    public enum Basis: String, Sendable, Equatable {
        /// A closed invoice: the credits Atlas applied (creditsCents).
        case creditsApplied = "credits applied"
        /// The pending invoice: its whole subtotal so far (subtotalCents).
        case pendingSubtotal = "pending subtotal"
    }

    /// One invoice's share of the use.
    public struct InvoiceUse: Sendable, Equatable {
        public var invoiceID: String
        public var status: String
        public var period: DayRange
        public var basis: Basis
        /// The counted amount in US cents.
        public var cents: Int
        /// The counted amount in US dollars, exact.
        public var usd: Decimal
        /// The counted amount in the budget's currency, unrounded (`usd × rate`).
        public var amount: Decimal
    }

    /// The grant, in the budget's currency.
    public var grant: CreditGrant
    /// The rate used; show it wherever the converted figures appear.
    public var rate: AtlasUSDRate
    /// The day the figures are computed for; complete days end the day before.
    public var asOf: CivilDate
    /// The counted invoices, oldest first.
    public var invoices: [InvoiceUse]
    /// IDs of invoices left out because their period does not overlap the credit period.
    public var outsidePeriod: [String]
    /// Total counted, in US cents.
    public var usedCents: Int
    public var usedUSD: Decimal
    /// Total counted in the budget's currency, unrounded.
    public var used: Decimal
    /// The grant less `used`, never below zero.
    public var remaining: Decimal
    /// How far `used` exceeds the grant (zero while it lasts).
    public var beyondGrant: Decimal
    /// Average use per complete day of the credit period so far, in the budget's
    /// currency; nil on the credit's first day (no complete day yet) or before it starts.
    public var burn: BurnRate?
    public var exhaustion: CreditExhaustion
    /// The most a day may use from here for the credit to last until expiry;
    /// nil once it has run out or expired.
    public var requiredDailyRate: Decimal?

    public var currency: Currency { rate.currency }
    /// The share of the grant used, 0 when the grant is zero.
    public var fractionUsed: Decimal { grant.amount > 0 ? used / grant.amount : 0 }
    /// True once the day is past the credit's expiry.
    public var isExpired: Bool { asOf > grant.period.last }

    /// Credit use from the budget: its `atlas_credits` grant and its USD rate.
    ///
    /// - Throws: ``AtlasCreditError/noCreditGrant`` without atlas_credits,
    ///   ``AtlasCreditError/missingExchangeRate(budgetCurrency:)`` when the
    ///   budget is not in USD and budget.exchange_rates.USD is not set.
    public static func compute(
        closed: [AtlasInvoiceTotals], pending: AtlasInvoiceTotals?, plan: BudgetPlan,
        today: CivilDate
    ) throws(AtlasCreditError) -> AtlasCreditUse {
        guard let grant = plan.atlasCredits else { throw .noCreditGrant }
        let rate = try AtlasUSDRate.forBudget(currency: plan.currency, exchangeRates: plan.exchangeRates)
        return compute(closed: closed, pending: pending, grant: grant, rate: rate, today: today)
    }

    /// Credit use with an explicit rate (`usdRate` = budget currency per USD).
    ///
    /// - Throws: ``AtlasCreditError/missingExchangeRate(budgetCurrency:)`` when
    ///   `currency` is not USD and `usdRate` is nil.
    public static func compute(
        closed: [AtlasInvoiceTotals], pending: AtlasInvoiceTotals?, grant: CreditGrant,
        currency: Currency, usdRate: Decimal?, today: CivilDate
    ) throws(AtlasCreditError) -> AtlasCreditUse {
        let rates = usdRate.map { ["USD": $0] } ?? [:]
        let rate = try AtlasUSDRate.forBudget(currency: currency, exchangeRates: rates)
        return compute(closed: closed, pending: pending, grant: grant, rate: rate, today: today)
    }

    /// Credit use at a known rate.
    ///
    /// `closed` may be the whole invoice list as Atlas returns it: PENDING
    /// entries in it are not counted as closed, and when `pending` is nil the
    /// newest of them stands in for it. An invoice listed twice counts once.
    public static func compute(
        closed: [AtlasInvoiceTotals], pending: AtlasInvoiceTotals?, grant: CreditGrant,
        rate: AtlasUSDRate, today: CivilDate
    ) -> AtlasCreditUse {
        let period = grant.period
        let pending = pending ?? closed.filter(\.isPending).max { $0.period.first < $1.period.first }
        var seen = Set<String>()
        var counted: [(AtlasInvoiceTotals, Basis)] = []
        var outside: [String] = []
        for invoice in closed where !invoice.isPending && invoice.id != pending?.id {
            guard seen.insert(invoice.id).inserted else { continue }
            if overlaps(invoice.period, period) { counted.append((invoice, .creditsApplied)) } else { outside.append(invoice.id) }
        }
        if let pending, seen.insert(pending.id).inserted {
            if overlaps(pending.period, period) { counted.append((pending, .pendingSubtotal)) } else { outside.append(pending.id) }
        }
        // Oldest first; invoices of the same period keep the order given.
        counted = counted.enumerated().sorted { a, b in
            a.element.0.period.first != b.element.0.period.first
                ? a.element.0.period.first < b.element.0.period.first
                : a.offset < b.offset
        }.map(\.element)

        let lines = counted.map { invoice, basis in
            // Atlas reports credits as a positive sum; a negative one (a
            // deduction) counts by its size.
            let cents = basis == .creditsApplied ? abs(invoice.creditsCents) : invoice.subtotalCents
            let usd = AtlasCents.dollars(cents)
            return InvoiceUse(
                invoiceID: invoice.id, status: invoice.status, period: invoice.period, basis: basis,
                cents: cents, usd: usd, amount: usd * rate.perUSD)
        }
        let usedCents = lines.reduce(0) { $0 + $1.cents }
        let usedUSD = AtlasCents.dollars(usedCents)
        let used = usedUSD * rate.perUSD
        let remaining = max(0, grant.amount - used)

        // Complete days of the credit period so far: today is still running.
        let lastComplete = min(today.adding(days: -1), period.last)
        let elapsed = DayRange(period.first, lastComplete)
        let burn = elapsed.map { BurnRate(perDay: used / Decimal($0.count), days: $0.count) }

        let exhaustion: CreditExhaustion
        if let day = exhaustionDay(lines: lines, grant: grant.amount, lastComplete: lastComplete) {
            exhaustion = .exhausted(on: day)
        } else if grant.amount <= 0 {
            exhaustion = .notAtCurrentRate
        } else if let burn {
            exhaustion = project(remaining: remaining, rate: burn.perDay, from: lastComplete, expiry: period.last)
        } else {
            exhaustion = .unknown
        }

        var required: Decimal?
        if remaining > 0, today <= period.last {
            // From today to expiry, both inclusive.
            required = remaining / Decimal(max(1, today.days(to: period.last) + 1))
        }
        return AtlasCreditUse(
            grant: grant, rate: rate, asOf: today, invoices: lines, outsidePeriod: outside,
            usedCents: usedCents, usedUSD: usedUSD, used: used, remaining: remaining,
            beyondGrant: max(0, used - grant.amount), burn: burn, exhaustion: exhaustion,
            requiredDailyRate: required)
    }

    private static func overlaps(_ a: DayRange, _ b: DayRange) -> Bool { a.first <= b.last && a.last >= b.first }

    /// The day the running total reached `grant`, if it has. Invoices report
    /// a period's total, not its days, so the day inside the crossing
    /// invoice is estimated by spreading that invoice evenly over its days
    /// (the pending one over its complete days so far).
    private static func exhaustionDay(lines: [InvoiceUse], grant: Decimal, lastComplete: CivilDate) -> CivilDate? {
        var before: Decimal = 0
        for line in lines where line.amount > 0 {
            let after = before + line.amount
            if after >= grant {
                let end = line.basis == .pendingSubtotal ? max(line.period.first, min(line.period.last, lastComplete)) : line.period.last
                let days = line.period.first.days(to: end) + 1
                let perDay = line.amount / Decimal(days)
                let needed = max(0, grant - before)
                let n = (needed / perDay).rounded(scale: 25).ceilingInteger.intValueIfWhole ?? days
                return line.period.first.adding(days: min(max(n, 1), days) - 1)
            }
            before = after
        }
        return nil
    }

    /// Azure's breach-date rule, as ``CreditExhaustion/project(allocation:spend:rate:today:period:)``:
    /// the first day `n` after the last complete day with `n × rate >= remaining`.
    private static func project(remaining: Decimal, rate: Decimal, from lastComplete: CivilDate, expiry: CivilDate) -> CreditExhaustion {
        guard rate > 0 else { return .notAtCurrentRate }
        // Rounded at 25 places first: 100/7-style rates are not exact in Decimal (see CreditExhaustion).
        let days = (remaining / rate).rounded(scale: 25).ceilingInteger.intValueIfWhole ?? Int.max / 2
        let day = lastComplete.adding(days: max(1, min(days, 3_650_000)))
        return .projected(on: day, beforeExpiry: day <= expiry)
    }
}
