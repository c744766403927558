import Foundation
import QLPAzure
import QLPCanvas
import QLPCore

/// The month against its budget, from both sides: qlp's figures (summed from
/// Cost Management's rows) beside Azure's own (the budgets set in Azure, and
/// Cost Management's forecast), each labelled with its source.
public struct BudgetView {
    public var state: DashboardState

    public init(state: DashboardState) { self.state = state }

    public func render(into canvas: inout Canvas, area: Rect, context: RenderContext) {
        let f = context.format
        let x = area.x + 1
        let width = area.width - 2
        var y = area.y
        let currency = state.plan.currency
        guard let cost = state.cost.value else {
            canvas.put("MONTHLY BUDGET", x: x, y: y, role: .title)
            canvas.put(state.cost.problem.map { "Cost data unavailable: \($0.summary)" } ?? "Fetching cost data from Cost Management\(context.glyphs.ellipsis)",
                       x: x, y: y + 2, role: state.cost.problem == nil ? .muted : .critical, maxWidth: width)
            return
        }
        let monthly = cost.overview.monthly
        let azure = state.azureBudgets.value
        let budget = azure?.budgets.first { $0.properties.timeGrain.lowercased() == "monthly" } ?? azure?.budgets.first

        canvas.put("MONTHLY BUDGET", x: x, y: y, role: .title)
        canvas.put(DisplayWidth.truncate("\(f.month(monthly.month)) \(context.glyphs.separator) \(state.plan.billingTimeZone)",
                                         to: width - 16), x: x + 16, y: y, role: .muted)
        y += 2
        // Two columns of figures: qlp's, and Azure's.
        let labelW = 16
        let columnW = max(20, (width - labelW) / 2)
        let qlpX = x + labelW
        let azureX = qlpX + columnW
        canvas.put("qlp (query rows)", x: qlpX, y: y, role: .title)
        canvas.put("Azure (budget, forecast)", x: azureX, y: y, role: .title, maxWidth: width - labelW - columnW)
        y += 1
        canvas.put("Month to date", x: x, y: y, role: .muted)
        canvas.put(f.money(monthly.spentToDate, currency), x: qlpX, y: y)
        if let spend = budget?.properties.currentSpend {
            let agree = spend.amount.rounded(scale: 2) == monthly.spentToDate.rounded(scale: 2)
            var text = "\(f.money(spend.amount, Currency(code: spend.unit ?? currency.code))) current spend"
            if agree { text += " \(context.glyphs.separator) agrees" }
            canvas.put(DisplayWidth.truncate(text, to: width - labelW - columnW), x: azureX, y: y, role: agree ? .normal : .warning)
        } else {
            canvas.put(azureStatus(context), x: azureX, y: y, role: .muted, maxWidth: width - labelW - columnW)
        }
        y += 1
        canvas.put("Budget", x: x, y: y, role: .muted)
        canvas.put(f.money(monthly.amount, currency), x: qlpX, y: y)
        if let amount = budget?.properties.amount {
            canvas.put("\(f.money(amount, currency)) \(budget?.properties.timeGrain ?? "")", x: azureX, y: y)
        }
        y += 1
        canvas.put("Month-end", x: x, y: y, role: .muted)
        if let p = monthly.projection {
            canvas.put("\(f.money(p.amount, currency)) linear", x: qlpX, y: y)
        } else {
            canvas.put("after 3 days", x: qlpX, y: y, role: .muted)
        }
        if let forecast = azure?.forecast {
            canvas.put("\(f.money(forecast.total, forecast.currency ?? currency)) forecast", x: azureX, y: y)
        } else if let note = azure?.forecastNote {
            canvas.put(DisplayWidth.truncate("forecast: \(note)", to: width - labelW - columnW), x: azureX, y: y, role: .muted)
        }
        y += 2

        // The gauge with its alert marks, as on the Overview.
        let fraction = monthly.fractionUsed
        let markers = monthly.thresholds.filter { $0 < 100 }.map { ($0 / 100).doubleForDisplay }
        let gaugeW = width - 8
        let role: StyleRole = fraction >= 1 ? .critical : (monthly.state == .clear ? .ok : .warning)
        canvas.put(DisplayWidth.pad(PercentFormat.string(fraction), to: 6, alignRight: true), x: x, y: y, role: role)
        Gauge(fraction: fraction.doubleForDisplay, markers: markers, fillRole: role)
            .render(into: &canvas, x: x + 8, y: y, width: gaugeW, glyphs: context.glyphs)
        y += 1
        for (marker, threshold) in zip(markers, monthly.thresholds.filter({ $0 < 100 })) {
            canvas.put("\(context.glyphs.upArrow)\(NSDecimalNumber(decimal: threshold).stringValue)%",
                       x: x + 8 + Gauge.markerColumn(marker, width: gaugeW), y: y, role: .muted)
        }
        y += 2

        y = renderAtlas(into: &canvas, x: x, y: y, width: width, context: context)

        // Every budget set in Azure, with its alerts.
        canvas.put("AZURE BUDGETS", x: x, y: y, role: .title)
        canvas.put(DisplayWidth.truncate(azureStatus(context), to: width - 15), x: x + 15, y: y, role: .muted)
        y += 1
        guard let budgets = azure?.budgets, !budgets.isEmpty else {
            canvas.put(azure == nil ? "" : "No budgets are set on this subscription.", x: x, y: y, role: .muted)
            return
        }
        // The grain is in the figures above; narrow terminals drop its column.
        let showGrain = width >= 96
        let header = ["NAME", "AMOUNT"] + (showGrain ? ["GRAIN"] : []) + ["CURRENT", "USED", "FORECAST", "ALERTS"]
        var rows: [[String]] = budgets.map { b in
            let p = b.properties
            let unit = Currency(code: p.currentSpend?.unit ?? currency.code)
            let alerts = p.notifications.sorted { $0.value.threshold < $1.value.threshold }.map { _, n in
                let op = n.operator == "GreaterThanOrEqualTo" ? "≥" : (n.operator == "GreaterThan" ? ">" : "=")
                return (context.glyphs.isUnicode ? op : (op == "≥" ? ">=" : op)) + NSDecimalNumber(decimal: n.threshold).stringValue
                    + ((n.thresholdType ?? "Actual") == "Forecasted" ? "F" : "")
            }.joined(separator: " ")
            return [b.name, f.money(p.amount, unit)] + (showGrain ? [p.timeGrain] : []) + [p.currentSpend.map { f.money($0.amount, unit) } ?? "-",
                    b.fractionUsed.map { PercentFormat.string($0) } ?? "-", p.forecastSpend.map { f.money($0.amount, unit) } ?? "-", alerts]
        }
        rows.insert(header, at: 0)
        let widths = header.indices.map { c in rows.map { DisplayWidth.of($0[c]) }.max() ?? 0 }
        for (i, row) in rows.prefix(area.maxY - y - 2).enumerated() {
            var cx = x
            for (c, cell) in row.enumerated() {
                let w = c == row.count - 1 ? max(0, x + width - cx) : widths[c]
                canvas.put(cell, x: cx, y: y, width: w, role: i == 0 ? .title : .normal, alignRight: c > 0 && c < row.count - 1,
                           ellipsis: context.glyphs.ellipsis)
                cx += w + 2
            }
            y += 1
        }
        canvas.put("F: forecasted alert. Azure evaluates budgets daily, so it can lag qlp.",
                   x: x, y: min(y + 1, area.maxY - 1), role: .muted, maxWidth: width)
    }

    /// One line for the MongoDB Atlas credits, with the rate they were converted at.
    private func renderAtlas(into canvas: inout Canvas, x: Int, y: Int, width: Int, context: RenderContext) -> Int {
        guard state.atlasConfigured || state.plan.atlasCredits != nil else { return y }
        let f = context.format
        canvas.put("ATLAS CREDITS", x: x, y: y, role: .title)
        let detailX = x + 15
        let room = width - 15
        if !state.atlasConfigured {
            canvas.put(DisplayWidth.truncate("not read: set mongodb_atlas.admin_api in the config", to: room), x: detailX, y: y, role: .muted)
            return y + 2
        }
        guard let use = state.atlas.value else {
            let text = state.atlas.problem.map { "unavailable: \($0.summary)" } ?? "fetching\(context.glyphs.ellipsis)"
            canvas.put(DisplayWidth.truncate(text, to: room, ellipsis: context.glyphs.ellipsis), x: detailX, y: y,
                       role: state.atlas.problem == nil ? .muted : .critical)
            return y + 2
        }
        var text = "\(f.money(use.used, use.currency)) of \(f.money(use.grant.amount, use.currency)) (\(PercentFormat.string(use.fractionUsed)))"
        switch use.exhaustion {
        case .exhausted(let day): text += " \(context.glyphs.separator) used up \(f.shortDate(day))"
        case .projected(let day, let before): text += " \(context.glyphs.separator) " + (before ? "runs out \(f.date(day))" : "lasts")
        default: break
        }
        let role: StyleRole = use.fractionUsed >= 1 ? .critical : (use.fractionUsed >= Decimal(string: "0.8")! ? .warning : .normal)
        canvas.put(DisplayWidth.truncate(text, to: room, ellipsis: context.glyphs.ellipsis), x: detailX, y: y, role: role)
        let stale = state.atlas.staleness(now: context.now).map { "STALE: \($0) \(context.glyphs.separator) " } ?? ""
        canvas.put(DisplayWidth.truncate("\(stale)US$\(use.usedUSD.rounded(scale: 2)) at \(use.rate)", to: room, ellipsis: context.glyphs.ellipsis),
                   x: detailX, y: y + 1, role: stale.isEmpty ? .muted : .stale)
        return y + 3
    }

    /// Where Azure's side stands: age, or why it is missing.
    private func azureStatus(_ context: RenderContext) -> String {
        let panel = state.azureBudgets
        if let until = panel.problem?.throttledUntil, until > context.now {
            return "throttled until \(context.format.time(until))"
        }
        if let stale = panel.staleness(now: context.now) { return "STALE: \(stale)" }
        if let problem = panel.problem { return "unavailable: \(problem.summary)" }
        if let at = panel.updatedAt { return "from Azure, fetched \(context.format.age(context.now.timeIntervalSince(at))) ago" }
        return "fetching\(context.glyphs.ellipsis)"
    }
}
