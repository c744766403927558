import Foundation
import QLPAzure
import QLPCore

/// The alerts the feed implies, with what other parts raised (the gateway's
/// traffic and health, budget rules in force) added: pure, so a test states
/// the data and reads the alerts. The dashboard evaluates it each frame, the
/// alert watch of `qlp dash` and `qlp gateway` every few seconds.
public enum AlertRules {
    public static func evaluate(_ state: FeedState, external: [Alert] = [], now: Date) -> [Alert] {
        var alerts: [Alert] = []
        if let overview = state.cost.value?.overview {
            alerts += budget(overview, format: MoneyFormat.standard)
            if let forecast = state.azureBudgets.value?.forecast,
                let alert = azureForecast(forecast.total, currency: forecast.currency, overview: overview, format: MoneyFormat.standard)
            {
                alerts.append(alert)
            }
        }
        if let stale = staleCost(state, now: now) { alerts.append(stale) }
        alerts += external
        return alerts
    }

    /// The sources `evaluate` can judge from `state`: budget alerts once
    /// there is cost data (live or from the cache), the staleness alert once
    /// there was a fetch. An absent alert of a source not covered is unknown, not cleared.
    public static func coverage(_ state: FeedState) -> Set<AlertSource> {
        var covered: Set<AlertSource> = []
        if state.cost.value != nil { covered.insert(.budget) }
        if state.cost.updatedAt != nil { covered.insert(.costData) }
        return covered
    }

    static func budget(_ overview: BudgetOverview, format: MoneyFormat) -> [Alert] {
        var alerts: [Alert] = []
        let monthly = overview.monthly
        let thresholds = monthly.thresholds
        if monthly.amount > 0 {
            let percent = monthly.spentToDate * 100 / monthly.amount
            if let alert = threshold(key: "budget.monthly", what: "monthly budget", percent: percent, thresholds: thresholds) {
                alerts.append(alert)
            }
            if let projection = monthly.projection, projection.amount > monthly.amount {
                let estimate = MonthEndEstimate.linearProjection
                alerts.append(
                    Alert(
                        key: "budget.linear-projection", severity: .warning, source: .budget,
                        text: pastBudget(estimate, projection.amount, monthly: monthly.amount, currency: overview.currency, format: format)
                            + " (from \(projection.basisDays) complete days)",
                        headline: pastBudgetHeadline(estimate, projection.amount, monthly: monthly.amount)))
            }
        }
        for (category, position) in overview.categories where position.allocation > 0 {
            let percent = position.spent * 100 / position.allocation
            if let alert = threshold(
                key: "budget.category.\(category.rawValue)", what: "\(category.defaultLabel) allocation",
                percent: percent, thresholds: thresholds)
            {
                alerts.append(alert)
            }
        }
        return alerts
    }

    /// Cost Management's month-end forecast past the monthly budget: Azure's
    /// own "Forecasted" alert, named as Azure's so it is never taken for qlp's line.
    static func azureForecast(_ total: Decimal, currency: Currency?, overview: BudgetOverview, format: MoneyFormat) -> Alert? {
        let monthly = overview.monthly
        // A forecast in another currency cannot be compared with the budget.
        guard monthly.amount > 0, total > monthly.amount, currency == nil || currency == overview.currency else { return nil }
        return Alert(
            key: "budget.azure-forecast", severity: .warning, source: .budget,
            text: pastBudget(.azureForecast, total, monthly: monthly.amount, currency: overview.currency, format: format),
            headline: pastBudgetHeadline(.azureForecast, total, monthly: monthly.amount))
    }

    /// "linear projection: month-end £1,030.00, 103% of the £1,000.00 monthly budget".
    static func pastBudget(_ estimate: MonthEndEstimate, _ amount: Decimal, monthly: Decimal, currency: Currency, format: MoneyFormat)
        -> String
    {
        "\(estimate.name): month-end \(format.string(amount, currency: currency)), \(whole(amount * 100 / monthly))% of the "
            + "\(format.string(monthly, currency: currency)) monthly budget"
    }

    /// "linear projection puts month-end at 103% of budget": fits the strip at 80 columns.
    static func pastBudgetHeadline(_ estimate: MonthEndEstimate, _ amount: Decimal, monthly: Decimal) -> String {
        "\(estimate.name) puts month-end at \(whole(amount * 100 / monthly))% of budget"
    }

    /// The alert for `percent` used against the configured thresholds (the
    /// monthly budget's, which the category allocations follow too), or nil below them.
    static func threshold(key: String, what: String, percent: Decimal, thresholds: [Decimal]) -> Alert? {
        let state = ThresholdState.evaluate(spent: percent, amount: 100, thresholds: thresholds)
        let level: Decimal
        switch state {
        case .clear: return nil
        case .crossed(let threshold): level = threshold
        case .exceeded: level = 100
        }
        let severity: AlertSeverity = state.urgency(thresholds: thresholds) == .critical ? .critical : .warning
        let text = level >= 100 ? "\(what) exceeded: \(whole(percent))% used" : "\(what) past \(whole(level))%: \(whole(percent))% used"
        return Alert(key: "\(key).\(whole(level))", severity: severity, source: .budget, text: text)
    }

    /// Cost data older than two refresh intervals: the figures on screen may be wrong.
    static func staleCost(_ state: FeedState, now: Date) -> Alert? {
        guard let updated = state.cost.updatedAt else { return nil }
        let limit = TimeInterval(state.costRefresh.components.seconds) * 2
        let age = now.timeIntervalSince(updated)
        guard age > limit else { return nil }
        return Alert(
            key: "cost.stale", severity: .warning, source: .costData,
            text: "cost data \(Int(age / 60))m old (refresh every \(DurationText.format(state.costRefresh)))", at: updated)
    }

    static func whole(_ value: Decimal) -> String {
        var rounded = Decimal()
        var v = value
        NSDecimalRound(&rounded, &v, 0, .down)
        return "\(rounded)"
    }
}
