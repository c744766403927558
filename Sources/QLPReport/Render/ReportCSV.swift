import Foundation
import QLPCanvas
import QLPCore

/// The report as one RFC 4180 table a spreadsheet opens: a row per figure,
/// `section,item,metric,value,unit`, so every section fits one header and a
/// pivot table can rebuild any view.
enum ReportCSV {
    /// A cell's text, and whether it is a figure qlp formatted from a number.
    struct Cell {
        var value: String
        var isNumber = false
    }

    static func render(_ r: FinanceReport) -> String {
        var rows: [[Cell]] = [["section", "item", "metric", "value", "unit"].map { Cell(value: $0) }]
        let code = r.currency.code
        func money(_ section: String, _ item: String, _ metric: String, _ value: Decimal?) {
            rows.append([
                Cell(value: section), Cell(value: item), Cell(value: metric),
                Cell(value: value.map { plain($0) } ?? "", isNumber: true), Cell(value: value == nil ? "" : code),
            ])
        }
        func text(_ section: String, _ item: String, _ metric: String, _ value: String, _ unit: String = "") {
            rows.append([section, item, metric, value, unit].map { Cell(value: $0) })
        }
        func number(_ section: String, _ item: String, _ metric: String, _ value: String, _ unit: String) {
            rows.append([
                Cell(value: section), Cell(value: item), Cell(value: metric), Cell(value: value, isNumber: true),
                Cell(value: unit),
            ])
        }
        text("report", "period", r.period.kind, r.period.identifier)
        text("report", "period", "first_day", r.period.days.first.iso8601, "date")
        text("report", "period", "last_day", r.period.days.last.iso8601, "date")
        text("report", "as_of", "day", r.asOf.iso8601, "date")
        text("report", "basis", "basis", r.basis.rawValue)
        text("report", "source", "source", r.source)
        for c in r.credits + [r.creditTotal] {
            let item = c.key == "total" ? "Total" : c.label
            money("credits", item, "allocation", c.allocation)
            money("credits", item, "used", c.used)
            money("credits", item, "remaining", c.remaining)
            money("credits", item, "burn_per_day", c.burnRate)
            money("credits", item, "needed_per_day", c.requiredRate)
            switch c.exhaustion {
            case .exhausted(let d): text("credits", item, "used_up_on", d.iso8601, "date")
            case .projected(let d, _): text("credits", item, "runs_out_on", d.iso8601, "date")
            case .notAtCurrentRate: text("credits", item, "runs_out_on", "no spend")
            case .unknown: text("credits", item, "runs_out_on", "not enough data")
            }
        }
        money("credits", "Unmapped", "used", r.unmapped)
        if let use = r.atlas.use {
            money("credits", "MongoDB Atlas", "allocation", use.grant.amount)
            money("credits", "MongoDB Atlas", "used", use.used)
            money("credits", "MongoDB Atlas", "remaining", use.remaining)
            number("credits", "MongoDB Atlas", "used_usd", plain(use.usedUSD), "USD")
            number(
                "credits", "MongoDB Atlas", "usd_rate", NSDecimalNumber(decimal: use.rate.perUSD).stringValue, "\(r.currency.code) per USD")
        }
        money("monthly", r.monthly.month.iso8601.prefix(7).description, "amount", r.monthly.amount)
        money("monthly", r.monthly.month.iso8601.prefix(7).description, "spent_to_date", r.monthly.spentToDate)
        for c in r.monthly.crossings {
            text(
                "monthly", "alert \(NSDecimalNumber(decimal: c.threshold).stringValue)%", "reached_on", c.day?.iso8601 ?? "not reached",
                c.day == nil ? "" : "date")
        }
        money("monthly", "projection", "linear", r.monthly.linearProjection?.amount)
        money("monthly", "projection", "azure_forecast", r.monthly.azureForecast)
        func comparison(_ section: String, _ c: Comparison) {
            for l in c.lines {
                money(section, l.name, "current", l.current)
                money(section, l.name, "previous", l.previous)
            }
            money(section, "Total", "current", c.currentTotal)
            money(section, "Total", "previous", c.previousTotal)
        }
        comparison("service", r.services)
        if let g = r.resourceGroups { comparison("resource_group", g) }
        if let t = r.tags { comparison("tag:\(r.tagKey)", t) }
        for a in r.anomalies { money("anomaly", "\(a.dimension): \(a.name)", "\(a.kind.rawValue) \(a.day.iso8601)", a.amount) }
        for a in r.alertsFired {
            text("alert", "\(a.kind) \(NSDecimalNumber(decimal: a.threshold).stringValue)%", "fired_on", a.day.iso8601, "date")
        }
        for m in r.modelSpend.lines { money("model", m.model, "spend", m.amount) }
        text("usage", "ledger", r.hasUsage ? "source" : "not_read", r.usageNote)
        if let s = r.routingSavings {
            money("routing_savings", "Total", "actual", s.actual)
            money("routing_savings", "Total", "counterfactual", s.counterfactual)
            money("routing_savings", "Total", "saving", s.saving)
            number("routing_savings", "Total", "saving_percent", s.savingPercent.map(plain) ?? "", "%")
            number("routing_savings", "Total", "requests", String(s.requests), "requests")
            number("routing_savings", "Total", "unknown_usage_requests", String(s.unknownUsageRequests), "requests")
            for line in s.routes {
                text("routing_savings", line.route, "baseline", line.baseline.target, line.baseline.choice.rawValue)
                number("routing_savings", line.route, "requests", String(line.requests), "requests")
                money("routing_savings", line.route, "actual", line.actual)
                money("routing_savings", line.route, "counterfactual", line.counterfactual)
                money("routing_savings", line.route, "saving", line.saving)
            }
            for route in s.routesWithoutBaseline { text("routing_savings", route, "baseline", "none: left out") }
            text("routing_savings", "method", "method", s.method)
        }
        func usage(_ section: String, _ item: String, _ u: UsageSpend) {
            number(section, item, "requests", String(u.requests), "requests")
            number(section, item, "unknown_usage_requests", String(u.unknownUsageRequests), "requests")
            number(section, item, "input_tokens", String(u.inputTokens), "tokens")
            number(section, item, "output_tokens", String(u.outputTokens), "tokens")
            money(section, item, "cost", u.cost)
            money(section, item, "previous_cost", u.previousCost)
        }
        for k in r.keySpend ?? [] { usage("key", k.name, k) }
        for route in r.routeSpend ?? [] {
            usage("route", route.total.name, route.total)
            for target in route.targets { usage("route_target", "\(route.total.name) / \(target.name)", target) }
        }
        if let l = r.ledgerVersusInvoice {
            money("ledger_vs_invoice", "usage ledger, Azure targets", "amount", l.ledgerAzure)
            money("ledger_vs_invoice", "Cost Management, Azure OpenAI", "amount", l.invoice)
            money("ledger_vs_invoice", "difference", "amount", l.difference)
            money("ledger_vs_invoice", "usage ledger, local models", "amount", l.ledgerOther)
            text("ledger_vs_invoice", "explanation", "explanation", l.explanation)
        }
        number("quality", "rows", "read", String(r.quality.rowsRead), "rows")
        number("quality", "rows", "skipped", String(r.quality.skippedCount), "rows")
        for s in r.quality.skipped { text("quality", "skipped row", "problem", s) }
        for o in r.quality.otherProviders { money("quality", "other provider \(o.provider)", "left_out", o.amount) }
        money("quality", "credit rows", "amount", r.quality.creditsApplied)
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// "1234.56": no symbol or separators, so spreadsheets read a number.
    static func plain(_ d: Decimal) -> String {
        let text = NSDecimalNumber(decimal: d.rounded(scale: 2)).stringValue
        guard let dot = text.firstIndex(of: ".") else { return text + ".00" }
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        return text + String(repeating: "0", count: max(0, 2 - decimals))
    }

    /// One cell as the file holds it.
    ///
    /// Text is made printable first (a CSV is as often `cat` to a terminal as
    /// opened in a spreadsheet; a name's controls and escape sequences each
    /// become a visible `?`). Then, as OWASP's CSV injection guidance says,
    /// text starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets
    /// a leading `'`, so that a spreadsheet shows a service named
    /// `=HYPERLINK(…)` instead of evaluating it.
    ///
    /// Figures are left alone: they are numbers qlp wrote from a Decimal
    /// (digits, one point, a leading `-` for a refund or a credit), never
    /// text from outside, and OWASP's advice is that numbers stay numbers. A
    /// `'` before `-12.30` would turn a credit into text that no sum counts.
    ///
    /// Last, RFC 4180: fields with commas, quotes or line breaks are quoted,
    /// their quotes doubled.
    static func field(_ cell: Cell) -> String {
        var value = cell.value
        if !cell.isNumber {
            let startsWithControl = value.unicodeScalars.first.map { $0 == "\t" || $0 == "\r" } ?? false
            value = TerminalSafeText.printedLine(value)
            if startsWithControl || value.first.map(formulaStarts.contains) == true { value = "'" + value }
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The first characters that make a spreadsheet read a cell as a formula.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@"]
}
