import Foundation
import QLPCore
import Testing

private func d(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))! }
private func day(_ text: String) -> CivilDate { CivilDate(iso8601: text)! }
private func days(_ first: String, _ last: String) -> DayRange { DayRange(day(first), day(last))! }

private func invoice(_ id: String, _ status: String, _ first: String, _ last: String, subtotal: Int, credits: Int = 0) -> AtlasInvoiceTotals
{
    AtlasInvoiceTotals(id: id, status: status, period: days(first, last), subtotalCents: subtotal, creditsCents: credits)
}

/// £500 from 2026-10-01 to 2027-09-30, the config's Atlas credits.
private let grant = CreditGrant(amount: 500, period: days("2026-10-01", "2027-09-30"))
private let gbpRate = AtlasUSDRate(perUSD: d("0.79"), currency: .gbp)

@Suite("Atlas credit use")
struct AtlasCreditTests {
    @Test func centsBecomeExactDollars() {
        #expect(AtlasCents.dollars(12345) == d("123.45"))
        #expect(AtlasCents.dollars(1) == d("0.01"))
        #expect(AtlasCents.dollars(-250) == d("-2.5"))
        #expect(AtlasCents.dollars(0) == 0)
        #expect(AtlasCents.dollars(9_007_199_254_740_993) == d("90071992547409.93"), "beyond a Double's exact integers")
    }

    @Test func closedCountCreditsAndPendingCountsItsSubtotal() {
        let closed = [
            invoice("oct", "CLOSED", "2026-10-01", "2026-10-31", subtotal: 22_512, credits: 22_512),
            // Part paid by card: only the credits applied count.
            invoice("partly", "PAID", "2026-10-01", "2026-10-31", subtotal: 30_000, credits: 1_000),
        ]
        let pending = invoice("nov", "PENDING", "2026-11-01", "2026-11-30", subtotal: 18_150)
        let use = AtlasCreditUse.compute(closed: closed, pending: pending, grant: grant, rate: gbpRate, today: day("2026-11-26"))
        #expect(use.invoices.map(\.invoiceID) == ["oct", "partly", "nov"])
        #expect(use.invoices.map(\.basis) == [.creditsApplied, .creditsApplied, .pendingSubtotal])
        #expect(use.invoices.map(\.cents) == [22_512, 1_000, 18_150])
        #expect(use.usedCents == 41_662)
        #expect(use.usedUSD == d("416.62"))
        #expect(use.used == d("329.1298"))
        #expect(use.remaining == d("170.8702"))
        #expect(use.beyondGrant == 0)
        #expect(use.invoices.map(\.amount).reduce(0, +) == use.used)
        #expect(use.currency == .gbp)
        #expect(use.rate.description == "0.79 GBP per USD (budget.exchange_rates.USD)")
    }

    @Test func invoicesOutsideTheCreditPeriodAndDuplicatesAreLeftOut() {
        let closed = [
            invoice("sep", "CLOSED", "2026-09-01", "2026-09-30", subtotal: 9_000, credits: 9_000),
            invoice("oct", "CLOSED", "2026-10-01", "2026-10-31", subtotal: 10_000, credits: 10_000),
            invoice("oct", "CLOSED", "2026-10-01", "2026-10-31", subtotal: 10_000, credits: 10_000),
            // The list endpoint includes the pending invoice: it is not a closed one.
            invoice("nov", "PENDING", "2026-11-01", "2026-11-30", subtotal: 4_000),
        ]
        let use = AtlasCreditUse.compute(closed: closed, pending: nil, grant: grant, rate: gbpRate, today: day("2026-11-11"))
        #expect(use.outsidePeriod == ["sep"])
        #expect(use.invoices.map(\.invoiceID) == ["oct", "nov"])
        #expect(use.invoices.last?.basis == .pendingSubtotal, "the listed PENDING invoice stands in for the pending one")
        #expect(use.usedCents == 14_000)

        // Given the pending invoice explicitly as well, it still counts once.
        let again = AtlasCreditUse.compute(closed: closed, pending: closed[3], grant: grant, rate: gbpRate, today: day("2026-11-11"))
        #expect(again.usedCents == 14_000)

        // After expiry the pending invoice of a later month does not count.
        let late = AtlasCreditUse.compute(
            closed: [], pending: invoice("oct27", "PENDING", "2027-10-01", "2027-10-31", subtotal: 500),
            grant: grant, rate: gbpRate, today: day("2027-10-05"))
        #expect(late.usedCents == 0)
        #expect(late.outsidePeriod == ["oct27"])
        #expect(late.isExpired)
        #expect(late.requiredDailyRate == nil)
    }

    @Test func conversionIsExactToThePenny() {
        // $123.45 at 0.7891 GBP per USD is £97.414395: exact, then rounded half-up for display.
        let rate = AtlasUSDRate(perUSD: d("0.7891"), currency: .gbp)
        let closed = [invoice("a", "CLOSED", "2026-10-01", "2026-10-31", subtotal: 12_345, credits: 12_345)]
        let use = AtlasCreditUse.compute(closed: closed, pending: nil, grant: grant, rate: rate, today: day("2026-11-02"))
        #expect(use.used == d("97.414395"))
        #expect(use.used.rounded(scale: 2) == d("97.41"))
        #expect(MoneyFormat.standard.string(use.used, currency: use.currency) == "£97.41")
        #expect(use.remaining == d("402.585605"))

        // Many small invoices: the sum of converted parts equals the converted sum exactly (no drift).
        let many = (1...12).map { i in
            invoice("m\(i)", "CLOSED", "2026-10-01", "2026-10-31", subtotal: 333, credits: 333)
        }
        let summed = AtlasCreditUse.compute(closed: many, pending: nil, grant: grant, rate: rate, today: day("2026-11-02"))
        #expect(summed.usedUSD == d("39.96"))
        #expect(summed.used == d("31.532436"))
        #expect(summed.invoices.map(\.amount).reduce(0, +) == summed.used)
    }

    @Test func burnAndProjectedExhaustion() throws {
        let closed = [invoice("oct", "CLOSED", "2026-10-01", "2026-10-31", subtotal: 22_512, credits: 22_512)]
        let pending = invoice("nov", "PENDING", "2026-11-01", "2026-11-30", subtotal: 18_150)
        let today = day("2026-11-26")
        let use = AtlasCreditUse.compute(closed: closed, pending: pending, grant: grant, rate: gbpRate, today: today)
        // £321.2298 over the 56 complete days 1 Oct..25 Nov.
        #expect(use.used == d("321.2298"))
        let burn = try #require(use.burn)
        #expect(burn.days == 56)
        #expect(burn.perDay == d("321.2298") / 56)
        // 178.7702 / (321.2298 / 56) = 31.17 days: the 32nd day after 25 Nov.
        #expect(use.exhaustion == .projected(on: day("2026-12-27"), beforeExpiry: true))
        let daysLeft = today.days(to: day("2027-09-30")) + 1
        #expect(use.requiredDailyRate == d("178.7702") / Decimal(daysLeft))
        #expect(!use.isExpired)
    }

    @Test func exhaustedDuringThePendingInvoice() {
        let small = CreditGrant(amount: 100, period: days("2026-10-01", "2027-09-30"))
        let rate = AtlasUSDRate(perUSD: d("0.8"), currency: .gbp)
        let closed = [invoice("oct", "CLOSED", "2026-10-01", "2026-10-31", subtotal: 10_000, credits: 10_000)]
        // $50 over the 10 complete days 1..10 Nov: £4 a day; £20 was left, so it ran out on the 5th.
        let pending = invoice("nov", "PENDING", "2026-11-01", "2026-11-30", subtotal: 5_000)
        let use = AtlasCreditUse.compute(closed: closed, pending: pending, grant: small, rate: rate, today: day("2026-11-11"))
        #expect(use.used == 120)
        #expect(use.remaining == 0)
        #expect(use.beyondGrant == 20)
        #expect(use.fractionUsed == d("1.2"))
        #expect(use.exhaustion == .exhausted(on: day("2026-11-05")))
        #expect(use.requiredDailyRate == nil)
    }

    @Test func exhaustedInsideAClosedInvoice() {
        let small = CreditGrant(amount: 50, period: days("2026-10-01", "2027-09-30"))
        let rate = AtlasUSDRate(perUSD: d("0.8"), currency: .gbp)
        // £80 over October's 31 days; £50 is reached on day ceil(50 × 31 / 80) = 20.
        let closed = [invoice("oct", "CLOSED", "2026-10-01", "2026-10-31", subtotal: 10_000, credits: 10_000)]
        let use = AtlasCreditUse.compute(closed: closed, pending: nil, grant: small, rate: rate, today: day("2026-11-03"))
        #expect(use.exhaustion == .exhausted(on: day("2026-10-20")))
    }

    @Test func nothingSpentAndNoCompleteDay() {
        let first = AtlasCreditUse.compute(
            closed: [], pending: invoice("oct", "PENDING", "2026-10-01", "2026-10-31", subtotal: 0),
            grant: grant, rate: gbpRate, today: day("2026-10-01"))
        #expect(first.burn == nil)
        #expect(first.exhaustion == .unknown)
        let idle = AtlasCreditUse.compute(
            closed: [], pending: invoice("oct", "PENDING", "2026-10-01", "2026-10-31", subtotal: 0),
            grant: grant, rate: gbpRate, today: day("2026-10-09"))
        #expect(idle.burn == BurnRate(perDay: 0, days: 8))
        #expect(idle.exhaustion == .notAtCurrentRate)
        #expect(idle.remaining == 500)
    }

    @Test func refusesWithoutARate() throws {
        let pending = invoice("nov", "PENDING", "2026-11-01", "2026-11-30", subtotal: 100)
        let error = #expect(throws: AtlasCreditError.self) {
            try AtlasCreditUse.compute(closed: [], pending: pending, grant: grant, currency: .gbp, usdRate: nil, today: day("2026-11-26"))
        }
        #expect(error == .missingExchangeRate(budgetCurrency: "GBP"))
        #expect(error?.description.contains("budget.exchange_rates.USD") == true)

        #expect(throws: AtlasCreditError.invalidExchangeRate(0)) {
            try AtlasCreditUse.compute(closed: [], pending: pending, grant: grant, currency: .gbp, usdRate: 0, today: day("2026-11-26"))
        }
        // A USD budget needs no rate.
        let usd = try AtlasCreditUse.compute(
            closed: [], pending: pending, grant: grant, currency: .usd, usdRate: nil,
            today: day("2026-11-26"))
        #expect(usd.used == 1)
        #expect(!usd.rate.converts)
    }

    @Test func fromTheBudgetPlan() throws {
        var plan = BudgetPlan(
            currency: .gbp, total: 5000, creditPeriod: days("2026-10-01", "2027-09-30"),
            billingTimeZone: "Europe/London", monthly: MonthlyBudget(amount: 1000, alertThresholds: [80, 95]),
            allocations: [], atlasCredits: grant)
        let pending = invoice("nov", "PENDING", "2026-11-01", "2026-11-30", subtotal: 10_000)
        #expect(throws: AtlasCreditError.missingExchangeRate(budgetCurrency: "GBP")) {
            try AtlasCreditUse.compute(closed: [], pending: pending, plan: plan, today: day("2026-11-26"))
        }
        plan.exchangeRates = ["USD": d("0.79")]
        let use = try AtlasCreditUse.compute(closed: [], pending: pending, plan: plan, today: day("2026-11-26"))
        #expect(use.used == 79)
        #expect(use.grant == grant)
        plan.atlasCredits = nil
        #expect(throws: AtlasCreditError.noCreditGrant) {
            try AtlasCreditUse.compute(closed: [], pending: pending, plan: plan, today: day("2026-11-26"))
        }
    }
}
