import Foundation
import QLPAzure
import QLPCanvas
import QLPCore

/// The money in depth. The month against its budget from both sides: qlp's
/// figures (summed from Cost Management's rows) beside Azure's own (the
/// budgets set in Azure, and Cost Management's forecast), each labelled with
/// its source; every category of the credit allocation with its burn,
/// projections and exhaustion date; the last 30 days of spend against the
/// monthly budget's pace; Atlas credits; and Azure's budgets. What gives way
/// on a short terminal, and in what order, is ``BudgetLayout``'s.
public struct BudgetView {
    public var state: DashboardState

    public init(state: DashboardState) { self.state = state }

    /// Days the chart covers.
    static let chartDays = 30

    public func render(into canvas: inout Canvas, area: Rect, context: RenderContext) {
        let x = area.x + 1
        let width = area.width - 2
        guard let cost = state.cost.value else {
            canvas.put("MONTHLY BUDGET", x: x, y: area.y, role: .title)
            let text =
                state.cost.problem.map { "Cost data unavailable: \($0.summary)" }
                ?? "Fetching cost data from Cost Management\(context.glyphs.ellipsis)"
            canvas.put(
                DisplayWidth.truncate(text, to: width, ellipsis: context.glyphs.ellipsis), x: x, y: area.y + 2,
                role: state.cost.problem == nil ? .muted : .critical)
            return
        }
        let overview = cost.overview
        let outlook = cost.outlook ?? BudgetOutlook(overview: overview, plan: state.plan, costs: cost.costs)
        let table = CategoryTable(
            overview: overview, outlook: outlook,
            title: "CATEGORY",
            columns: [.allocated, .spent, .remaining, .used, .burnRate, .atExpiry, .monthEnd, .runsOut],
            giveWay: [.monthEnd, .used], unmapped: .figures, showsTotal: true, minimumGauge: 8,
            maximumGauge: 30)
        let budgets = state.azureBudgets.value?.budgets
        let parts = BudgetLayout.Parts(
            tableRows: table.height, atlasLines: atlasLines,
            azureRows: budgets.map { $0.isEmpty ? 1 : 1 + $0.count } ?? 0,
            azureHasNote: budgets?.isEmpty == false)
        let layout = BudgetLayout.fit(height: area.height, parts: parts)
        let gap = layout.gaps ? 1 : 0

        var y = renderMonthly(
            into: &canvas, overview: overview, x: x, y: area.y, width: width, spaced: layout.monthlySpacing,
            context: context)
        y += gap
        if y + table.height <= area.maxY {
            y = table.render(into: &canvas, x: x, y: y, width: width, context: context) + gap
        }
        if layout.chartRows > 0, y + layout.chartRows <= area.maxY {
            // The chart shows the days it has rows for; these are the last 30.
            let first = overview.today.adding(days: -(Self.chartDays - 1))
            // Bars are at most three cells wide; a wider rect would only add blank space to their left.
            let chartWidth = min(width, max(Self.chartDays * 3, 80))
            DailySpendChart(costs: cost.costs.filter { $0.day >= first }, overview: overview)
                .render(into: &canvas, rect: Rect(x: x, y: y, width: chartWidth, height: layout.chartRows), context: context)
            y += layout.chartRows + gap
        }
        if showsAtlas, y + layout.atlasRows(parts) <= area.maxY {
            y = renderAtlas(into: &canvas, x: x, y: y, width: width, twoLines: layout.atlasTwoLines, context: context) + gap
        }
        if y < area.maxY {
            renderAzureBudgets(into: &canvas, x: x, y: y, width: width, maxY: area.maxY, layout: layout, context: context)
        }
    }

    /// qlp's figures beside Azure's, then the gauge with its alert marks; returns the row after the marks.
    private func renderMonthly(
        into canvas: inout Canvas, overview: BudgetOverview, x: Int, y start: Int, width: Int, spaced: Bool,
        context: RenderContext
    ) -> Int {
        let f = context.format
        var y = start
        let currency = state.plan.currency
        let monthly = overview.monthly
        let azure = state.azureBudgets.value
        let budget = azure?.budgets.first { $0.properties.timeGrain.lowercased() == "monthly" } ?? azure?.budgets.first

        canvas.put("MONTHLY BUDGET", x: x, y: y, role: .title)
        canvas.put(
            DisplayWidth.truncate(
                "\(f.month(monthly.month)) \(context.glyphs.separator) \(state.plan.billingTimeZone)",
                to: width - 16, ellipsis: context.glyphs.ellipsis), x: x + 16, y: y, role: .muted)
        y += spaced ? 2 : 1
        // Two columns of figures: qlp's, and Azure's.
        let labelW = 16
        let columnW = max(20, (width - labelW) / 2)
        let qlpX = x + labelW
        let azureX = qlpX + columnW
        canvas.put("qlp (query rows)", x: qlpX, y: y, role: .title)
        canvas.put(
            "Azure (budget, \(MonthEndEstimate.azureForecast.name))", x: azureX, y: y, role: .title, maxWidth: width - labelW - columnW)
        y += 1
        canvas.put("Month to date", x: x, y: y, role: .muted)
        canvas.put(f.money(monthly.spentToDate, currency), x: qlpX, y: y)
        if let spend = budget?.properties.currentSpend {
            let agree = spend.amount.rounded(scale: 2) == monthly.spentToDate.rounded(scale: 2)
            var text = "\(f.money(spend.amount, Currency(code: spend.unit ?? currency.code))) current spend"
            let room = width - labelW - columnW
            // "agrees" is what the colour says already; it goes when the column is short.
            if agree, DisplayWidth.of(text) + 3 + DisplayWidth.of("agrees") <= room { text += " \(context.glyphs.separator) agrees" }
            canvas.put(
                DisplayWidth.truncate(text, to: room, ellipsis: context.glyphs.ellipsis), x: azureX, y: y,
                role: agree ? .normal : .warning)
        } else {
            canvas.put(
                DisplayWidth.truncate(azureStatus(context), to: width - labelW - columnW, ellipsis: context.glyphs.ellipsis),
                x: azureX, y: y, role: .muted)
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
            canvas.put("\(f.money(p.amount, currency)) \(MonthEndEstimate.linearProjection.name)", x: qlpX, y: y)
        } else {
            canvas.put(
                "\(MonthEndEstimate.linearProjection.name) after \(MonthEndProjection.minimumBasisDays) days", x: qlpX, y: y, role: .muted)
        }
        if let forecast = azure?.forecast {
            canvas.put("\(f.money(forecast.total, forecast.currency ?? currency)) \(MonthEndEstimate.azureForecast.name)", x: azureX, y: y)
        } else if let note = azure?.forecastNote {
            canvas.put(
                DisplayWidth.truncate(
                    "\(MonthEndEstimate.azureForecast.name): \(note)", to: width - labelW - columnW, ellipsis: context.glyphs.ellipsis),
                x: azureX, y: y, role: .muted)
        }
        y += spaced ? 2 : 1

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
            canvas.put(
                "\(context.glyphs.upArrow)\(NSDecimalNumber(decimal: threshold).stringValue)%",
                x: x + 8 + Gauge.markerColumn(marker, width: gaugeW), y: y, role: .muted)
        }
        return y + 1
    }

    /// Every budget set in Azure, with its alerts: a table, or one line when rows are short.
    private func renderAzureBudgets(
        into canvas: inout Canvas, x: Int, y start: Int, width: Int, maxY: Int, layout: BudgetLayout,
        context: RenderContext
    ) {
        let f = context.format
        var y = start
        let currency = state.plan.currency
        let azure = state.azureBudgets.value
        canvas.put("AZURE BUDGETS", x: x, y: y, role: .title)
        guard layout.azureTable else {
            canvas.put(
                DisplayWidth.truncate(azureSummary(context), to: width - 15, ellipsis: context.glyphs.ellipsis), x: x + 15, y: y,
                role: .muted)
            return
        }
        canvas.put(
            DisplayWidth.truncate(azureStatus(context), to: width - 15, ellipsis: context.glyphs.ellipsis), x: x + 15, y: y, role: .muted)
        y += 1
        guard let budgets = azure?.budgets, !budgets.isEmpty else {
            canvas.put(azure == nil ? "" : "No budgets are set on this subscription.", x: x, y: y, role: .muted)
            return
        }
        // The grain is in the figures above; narrow terminals drop its column.
        let showGrain = width >= 96
        let header =
            ["NAME", "AMOUNT"] + (showGrain ? ["GRAIN"] : []) + [
                "CURRENT", "USED", MonthEndEstimate.azureForecast.name.uppercased(), "ALERTS",
            ]
        var rows: [[String]] = budgets.map { b in
            let p = b.properties
            let unit = Currency(code: p.currentSpend?.unit ?? currency.code)
            return [b.name, f.money(p.amount, unit)] + (showGrain ? [p.timeGrain] : []) + [
                p.currentSpend.map { f.money($0.amount, unit) } ?? "-",
                b.fractionUsed.map { PercentFormat.string($0) } ?? "-", p.forecastSpend.map { f.money($0.amount, unit) } ?? "-",
                alerts(b, context),
            ]
        }
        rows.insert(header, at: 0)
        let widths = header.indices.map { c in rows.map { DisplayWidth.of($0[c]) }.max() ?? 0 }
        let noteRows = layout.azureNote ? 2 : 0
        for (i, row) in rows.prefix(max(0, maxY - y - noteRows)).enumerated() {
            var cx = x
            for (c, cell) in row.enumerated() {
                let w = c == row.count - 1 ? max(0, x + width - cx) : widths[c]
                canvas.put(
                    cell, x: cx, y: y, width: w, role: i == 0 ? .title : .normal, alignRight: c > 0 && c < row.count - 1,
                    ellipsis: context.glyphs.ellipsis)
                cx += w + 2
            }
            y += 1
        }
        if layout.azureNote, y + 1 < maxY {
            canvas.put(
                "F: alert on the \(MonthEndEstimate.azureForecast.name), else on actual spend. Azure evaluates budgets daily, so it can lag qlp.",
                x: x, y: y + 1, role: .muted,
                maxWidth: width)
        }
    }

    /// A budget's alert thresholds as Azure sets them: "≥80 ≥95 >100F" (F: on the Azure forecast).
    private func alerts(_ budget: AzureBudget, _ context: RenderContext) -> String {
        budget.properties.notifications.sorted { $0.value.threshold < $1.value.threshold }.map { _, n in
            let op = n.operator == "GreaterThanOrEqualTo" ? "≥" : (n.operator == "GreaterThan" ? ">" : "=")
            return (context.glyphs.isUnicode ? op : (op == "≥" ? ">=" : op)) + NSDecimalNumber(decimal: n.threshold).stringValue
                + ((n.thresholdType ?? "Actual") == "Forecasted" ? "F" : "")
        }.joined(separator: " ")
    }

    /// Azure's budgets in one line: each budget's use and alerts, then where the data stands.
    private func azureSummary(_ context: RenderContext) -> String {
        let status = azureStatus(context, short: true)
        guard let budgets = state.azureBudgets.value?.budgets else { return status }
        let sep = " \(context.glyphs.separator) "
        guard !budgets.isEmpty else { return "none set on this subscription" + sep + status }
        let each = budgets.map { b in
            ([b.name] + [b.fractionUsed.map { PercentFormat.string($0) }, alerts(b, context)].compactMap { $0 }.filter { !$0.isEmpty })
                .joined(separator: " ")
        }
        return each.joined(separator: ", ") + sep + status
    }

    private var showsAtlas: Bool { state.atlasConfigured || state.plan.atlasCredits != nil }

    /// Lines the Atlas part has to show: figures and their rate, or one line saying why there are none.
    private var atlasLines: Int {
        guard showsAtlas else { return 0 }
        return state.atlasConfigured && state.atlas.value != nil ? 2 : 1
    }

    /// The MongoDB Atlas credits, with the rate they were converted at (on a
    /// second line, or at the end of the first when rows are short); returns the row after.
    private func renderAtlas(into canvas: inout Canvas, x: Int, y: Int, width: Int, twoLines: Bool, context: RenderContext) -> Int {
        let f = context.format
        let sep = context.glyphs.separator
        canvas.put("ATLAS CREDITS", x: x, y: y, role: .title)
        let detailX = x + 15
        let room = width - 15
        if !state.atlasConfigured {
            canvas.put(
                DisplayWidth.truncate(
                    "not read: set mongodb_atlas.admin_api in the config", to: room,
                    ellipsis: context.glyphs.ellipsis), x: detailX, y: y, role: .muted)
            return y + 1
        }
        guard let use = state.atlas.value else {
            let text = state.atlas.problem.map { "unavailable: \($0.summary)" } ?? "fetching\(context.glyphs.ellipsis)"
            canvas.put(
                DisplayWidth.truncate(text, to: room, ellipsis: context.glyphs.ellipsis), x: detailX, y: y,
                role: state.atlas.problem == nil ? .muted : .critical)
            return y + 1
        }
        let amounts = "\(f.money(use.used, use.currency)) of \(f.money(use.grant.amount, use.currency))"
        var outcome = ""
        switch use.exhaustion {
        case .exhausted(let day): outcome = " \(sep) used up \(f.shortDate(day))"
        case .projected(let day, let before): outcome = " \(sep) " + (before ? "runs out \(f.date(day))" : "lasts")
        default: break
        }
        let text = amounts + " (\(PercentFormat.string(use.fractionUsed)))" + outcome
        let short = amounts + outcome
        let role = ThresholdStyle.role(forFraction: use.fractionUsed, thresholds: state.plan.monthly.alertThresholds, quiet: .normal)
        let stale = state.atlas.staleness(now: context.now).map { "STALE: \($0) \(sep) " } ?? ""
        guard twoLines else {
            // The converted figures keep their rate beside them, in short; the
            // percentage (the figures give it) goes first when the line is short.
            let rate = use.rate.converts ? " \(sep) \(NSDecimalNumber(decimal: use.rate.perUSD).stringValue) \(use.currency.code)/USD" : ""
            var line = stale + text + rate
            if DisplayWidth.of(line) > room { line = stale + short + rate }
            canvas.put(
                DisplayWidth.truncate(line, to: room, ellipsis: context.glyphs.ellipsis), x: detailX, y: y,
                role: stale.isEmpty ? role : .stale)
            return y + 1
        }
        canvas.put(DisplayWidth.truncate(text, to: room, ellipsis: context.glyphs.ellipsis), x: detailX, y: y, role: role)
        canvas.put(
            DisplayWidth.truncate(
                "\(stale)US$\(use.usedUSD.rounded(scale: 2)) at \(use.rate)", to: room, ellipsis: context.glyphs.ellipsis),
            x: detailX, y: y + 1, role: stale.isEmpty ? .muted : .stale)
        return y + 2
    }

    /// Where Azure's side stands: age, or why it is missing.
    private func azureStatus(_ context: RenderContext, short: Bool = false) -> String {
        let panel = state.azureBudgets
        if let until = panel.problem?.throttledUntil, until > context.now {
            return "throttled until \(context.format.time(until))"
        }
        if let stale = panel.staleness(now: context.now) { return "STALE: \(stale)" }
        if let problem = panel.problem { return "unavailable: \(problem.summary)" }
        if let at = panel.updatedAt {
            return "\(short ? "" : "from Azure, ")fetched \(context.format.age(context.now.timeIntervalSince(at))) ago"
        }
        return "fetching\(context.glyphs.ellipsis)"
    }
}
