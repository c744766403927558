import QLPCore

/// What each view's columns, marks and abbreviations mean: the second page
/// of `?` help. Written next to the views so a column added to a view gets
/// its line here (the help test reads each view's headings against this).
enum ViewLegend {
    struct Term: Equatable {
        var term: String
        var meaning: String

        init(_ term: String, _ meaning: String) {
            self.term = term
            self.meaning = meaning
        }
    }

    static let linear = Term(
        MonthEndEstimate.linearProjection.name,
        "qlp's month-end estimate: spend so far / complete days x days in month")
    static let azure = Term(MonthEndEstimate.azureForecast.name, "Cost Management's own month-end forecast (its model, not qlp's)")
    static let perDay = Term("PER DAY", "burn: average daily spend over the last 7 complete days")
    static let runsOut = Term("RUNS OUT", "the day the allocation is used up at that burn")
    static let marks = Term("▲N%", "the alert thresholds, budget.monthly.alerts (the highest of two or more is critical)")

    static func terms(for view: DashboardView) -> [Term] {
        switch view {
        case .overview:
            return [
                Term("AZURE CREDITS", "the credit allocation, from its start date to its expiry"),
                Term("BUCKET", "a credit category: the Azure services the config maps to it"),
                Term("SPENT", "spend in the credit period so far (Cost Management rows)"),
                Term("USED", "spent / allocated"), perDay, runsOut,
                Term("Unmapped", "spend in services no bucket lists"),
                marks, linear,
                Term("cost data", "when Cost Management was last read; data runs to the last full day"),
            ]
        case .budget:
            return [
                Term("qlp (query rows)", "qlp's sums of Cost Management's daily rows"),
                Term("Azure column", "the budget set in Azure, its current spend and the \(MonthEndEstimate.azureForecast.name)"),
                linear, azure, marks,
                Term("ALLOCATED/LEFT", "the category's share of the credits, and what remains"),
                perDay,
                Term("AT EXPIRY", "spend at the credit's expiry date if this burn continues"),
                Term("MONTH-END", "the category's \(MonthEndEstimate.linearProjection.name) for this month"),
                runsOut,
                Term("≥80 ≥95 >100F", "Azure budget alerts at % of the budget: ≥ at or above, > above"),
                Term("F", "that alert is on the \(MonthEndEstimate.azureForecast.name), else on actual spend"),
                Term("GBP/USD", "the rate applied to Atlas invoices, billed in US dollars"),
            ]
        case .models:
            return [
                Term("STATE", "the target's health from probes and live requests"),
                Term("P50 P95 P99", "latency percentiles of recent requests"),
                Term("LATENCY", "recent request latencies, oldest first"),
                Term("TTFT", "time to first token of streamed answers"),
                Term("TOK/S", "tokens generated per second"),
                Term("ERR%", "share of recent requests that failed"),
                Term("BREAKER", "closed: normal; open: no traffic; half-open: trying again"),
                Term("SHARE", "share of its route's requests this target served"),
                Term("PROBE", "time since the last health probe"),
            ]
        case .routing:
            return [
                Term("weight", "share of new requests the table sends to the target"),
                Term("observed share", "share actually served: N req in S s is what it rests on"),
                Term("fallback", "targets tried in this order when the chosen one fails"),
                Term("f", "one place earlier; not in the chain: adds it last"),
                Term("policy", "weighted: by weight; priority: first live target first"),
                Term("DRAINED", "the target gets no new requests"),
                Term("DRAFT", "changes staged here, not applied: Enter reviews, Esc discards"),
                Term("BUDGET RULES", "send a route elsewhere when a category passes a %"),
                Term("table vN", "the route table's version: each applied change adds one"),
            ]
        case .monitor:
            return [
                Term("LATEST", "the last complete interval: the one still running is left out"),
                Term("UNIT", "Azure's unit for the metric, refined by its definition"),
                Term("% ms s", "percent, milliseconds, seconds (a level in the interval)"),
                Term("count", "a number of things at the time (Average or Maximum)"),
                Term("/5min /15min", "summed over each interval: requests per 5 minutes"),
                Term("/s  B/s", "per second; bytes per second (kB, MB: 1,000s)"),
                Term("mc", "millicores: 1,000 mc is one CPU core"),
                Term("LAST 3 HOURS", "one cell per 5 minutes (wider: 15), oldest left; blank: no data"),
                Term("STALE", "kept points, not current: the fetch failed or is running"),
            ]
        case .alerts:
            return [
                Term("SEVERITY", "CRITICAL rings the bell when new; warning; info"),
                Term("SOURCE", "budget, cost data, gateway or routing"),
                Term("STATUS", "OPEN; acked: acknowledged (a); cleared: condition gone"),
                linear, azure,
            ]
        case .audit:
            return [
                Term("WHO", "the operator (or process) that made the change"),
                Term("CHANGE", "what changed, before -> after"),
                Term("OUTCOME", "applied, or why it was refused"),
                Term("VERSION", "the route table's version before -> after"),
            ]
        case .keys:
            return [
                Term("NAME", "the client key (config-N: Nth of gateway.client_key_sha256)"),
                Term("STATE", "active; revoked and expired keys are refused (401)"),
                Term("SPENT", "cost of its requests this budget period (no budget: month)"),
                Term("BUDGET", "its spending limit a day (/day), week (/wk) or month (/mo)"),
                Term("USED", "spent/budget, coloured at budget.monthly.alerts; 12x: 12 times"),
                Term("REQ TOKENS", "requests, tokens this budget period (k: thousand, M: million)"),
                Term("RPM TPM", "requests, tokens in the last 60 s / its limit (-: no limit)"),
                Term("REFUSED", "requests refused for a limit since the gateway started"),
                Term("EXPIRES", "when the key stops working (in 3d: three days from now)"),
                Term("TOP ROUTES", "where its money went this period, most first"),
            ]
        }
    }
}
