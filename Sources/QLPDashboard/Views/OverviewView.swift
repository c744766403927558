import Foundation
import QLPAzure
import QLPCanvas
import QLPCore
import QLPFeed

/// The first screen: is money burning? The credit total against £5,000, the
/// five buckets, unmapped spend, and the month against its budget with the
/// alert-threshold marks (budget.monthly.alerts), burn rate, projection and exhaustion date.
public struct OverviewView {
    public var state: DashboardState

    public init(state: DashboardState) { self.state = state }

    public func render(into canvas: inout Canvas, area: Rect, context: RenderContext) {
        var y = area.y
        let panel = state.cost
        guard let value = panel.value else {
            renderWaiting(into: &canvas, area: area, context: context)
            return
        }
        let overview = value.overview
        let f = context.format
        let currency = overview.currency
        let stale = panel.staleness(now: context.now)
        let x0 = area.x + 1
        let width = area.width - 2

        // Credits: total, gauge, burn and exhaustion.
        let period = "\(f.date(overview.creditPeriod.first)) \(arrow(context)) \(f.date(overview.creditPeriod.last))"
        sectionTitle(&canvas, "AZURE CREDITS", detail: period, y: y, x: x0, width: width, stale: stale != nil)
        y += 1
        let credit = overview.credit
        let used = "\(f.money(credit.spent, currency)) of \(f.money(credit.allocation, currency))"
        let pct = PercentFormat.string(credit.fractionUsed)
        let left = credit.remaining >= 0 ? "\(f.money(credit.remaining, currency)) left" : "\(f.money(-credit.remaining, currency)) over"
        var x = x0
        x += canvas.put(used, x: x, y: y, role: .normal) + 2
        x += canvas.put(DisplayWidth.pad(pct, to: 6, alignRight: true), x: x, y: y, role: role(for: credit.fractionUsed)) + 1
        let leftWidth = DisplayWidth.of(left)
        let gaugeWidth = max(4, x0 + width - x - leftWidth - 2)
        Gauge(fraction: credit.fractionUsed.doubleForDisplay, fillRole: role(for: credit.fractionUsed))
            .render(into: &canvas, x: x, y: y, width: gaugeWidth, glyphs: context.glyphs)
        canvas.put(left, x: x + gaugeWidth + 2, y: y, role: credit.remaining >= 0 ? .normal : .critical)
        y += 1
        x = x0
        x += canvas.put("Burn ", x: x, y: y, role: .muted)
        x += canvas.put(rateText(credit.burnRate, currency, f), x: x, y: y)
        x += canvas.put("  \(context.glyphs.separator)  ", x: x, y: y, role: .muted)
        // The fullest wording that fits the line.
        let (long, exhaustRole) = exhaustionText(credit.exhaustion, expiry: overview.creditPeriod.last, format: f, wording: .long)
        let (medium, _) = exhaustionText(credit.exhaustion, expiry: overview.creditPeriod.last, format: f, wording: .medium)
        let room = x0 + width - x
        let exhaustText = DisplayWidth.of(long) <= room ? long : medium
        canvas.put(DisplayWidth.truncate(exhaustText, to: room, ellipsis: context.glyphs.ellipsis), x: x, y: y, role: exhaustRole)
        y += 2

        // The buckets as a table; the gauge takes what width is left.
        y = renderBuckets(into: &canvas, overview: overview, x: x0, y: y, width: width, context: context)
        y += 1

        // The month against its budget.
        let monthly = overview.monthly
        sectionTitle(
            &canvas, "MONTHLY BUDGET", detail: "\(f.month(monthly.month)) \(context.glyphs.separator) \(state.plan.billingTimeZone)",
            y: y, x: x0, width: width, stale: stale != nil)
        y += 1
        let monthRole = role(for: monthly.state)
        x = x0
        x += canvas.put("\(f.money(monthly.spentToDate, currency)) of \(f.money(monthly.amount, currency))", x: x, y: y) + 2
        x +=
            canvas.put(DisplayWidth.pad(PercentFormat.string(monthly.fractionUsed), to: 6, alignRight: true), x: x, y: y, role: monthRole)
            + 1
        let stateText = thresholdText(monthly.state)
        let monthGauge = max(10, x0 + width - x - DisplayWidth.of(stateText) - 2)
        let markers = monthly.thresholds.filter { $0 < 100 }.map { ($0 / 100).doubleForDisplay }
        Gauge(fraction: monthly.fractionUsed.doubleForDisplay, markers: markers, fillRole: monthRole)
            .render(into: &canvas, x: x, y: y, width: monthGauge, glyphs: context.glyphs)
        canvas.put(stateText, x: x + monthGauge + 2, y: y, role: monthRole)
        y += 1
        // Marker labels sit under the marks: "▲80%".
        for (marker, threshold) in zip(markers, monthly.thresholds.filter({ $0 < 100 })) {
            let column = x + Gauge.markerColumn(marker, width: monthGauge)
            canvas.put("\(context.glyphs.upArrow)\(NSDecimalNumber(decimal: threshold).stringValue)%", x: column, y: y, role: .muted)
        }
        y += 1
        x = x0
        x += canvas.put("Month-end ", x: x, y: y, role: .muted)
        if let projection = monthly.projection {
            let projected = projection.amount / max(monthly.amount, 0.01)
            x += canvas.put(
                "\(f.money(projection.amount, currency)) \(MonthEndEstimate.linearProjection.name) (\(PercentFormat.string(projected)))",
                x: x, y: y,
                role: role(for: monthly.projectedState ?? .clear))
        } else {
            x += canvas.put(
                "\(MonthEndEstimate.linearProjection.name) after \(MonthEndProjection.minimumBasisDays) complete days", x: x, y: y,
                role: .muted)
        }
        x += canvas.put("  \(context.glyphs.separator)  ", x: x, y: y, role: .muted)
        let days = monthly.month.daysInMonth - (overview.today.day - 1)
        canvas.put(
            DisplayWidth.truncate(
                "\(days) day\(days == 1 ? "" : "s") left in the month", to: x0 + width - x,
                ellipsis: context.glyphs.ellipsis), x: x, y: y, role: .muted)
        y += 2

        // Where the data came from sits at the bottom; a taller terminal gets
        // the daily spend chart in between.
        let statusTop = max(y, area.maxY - 2)
        let chartRows = statusTop - 1 - y
        if chartRows >= DailySpendChart.minimumHeight {
            DailySpendChart(costs: value.costs, overview: overview)
                .render(into: &canvas, rect: Rect(x: x0, y: y, width: width, height: min(chartRows, 12)), context: context)
        }
        renderStatus(into: &canvas, value: value, y: statusTop, x: x0, width: width, context: context)
    }

    // MARK: - Pieces

    private func renderBuckets(
        into canvas: inout Canvas, overview: BudgetOverview, x: Int, y start: Int, width: Int,
        context: RenderContext
    ) -> Int {
        CategoryTable(overview: overview, title: "BUCKET", columns: [.spent, .allocated, .used, .burnRate, .runsOut])
            .render(into: &canvas, x: x, y: start, width: width, context: context)
    }

    /// Two lines: why the data is stale (if it is), then its age and extent.
    private func renderStatus(into canvas: inout Canvas, value: CostPanel, y: Int, x: Int, width: Int, context: RenderContext) {
        let f = context.format
        let panel = state.cost
        if let problem = panel.problem, let until = problem.throttledUntil, until > context.now {
            // Waiting is not a failure: Azure asked qlp to wait, or qlp's own budget is spent (the line says which).
            canvas.put(
                "throttled until \(f.time(until)) \(f.zone(until)) (\(Self.whoIsWaiting(problem)))", x: x, y: y,
                role: .warning, maxWidth: width)
        } else if let stale = panel.staleness(now: context.now) {
            var cx = x
            cx += canvas.put(" STALE ", x: cx, y: y, role: .stale) + 1
            var reason = stale
            if let next = panel.problem?.nextAttempt { reason += " \(context.glyphs.separator) retry at \(f.time(next))" }
            canvas.put(DisplayWidth.truncate(reason, to: x + width - cx, ellipsis: context.glyphs.ellipsis), x: cx, y: y, role: .stale)
        } else if let notice = state.notice, context.now.timeIntervalSince(notice.at) < Notice.lifetime {
            canvas.put(
                DisplayWidth.truncate(notice.text, to: width, ellipsis: context.glyphs.ellipsis), x: x, y: y,
                role: notice.isError ? .critical : .accent)
        } else if panel.refreshing {
            canvas.put("refreshing\(context.glyphs.ellipsis)", x: x, y: y, role: .accent)
        }
        var parts: [String] = []
        if let updatedAt = panel.updatedAt {
            parts.append("cost data \(f.age(context.now.timeIntervalSince(updatedAt))) old (fetched \(f.time(updatedAt)))")
        }
        if let latest = value.overview.latestDataDay { parts.append("through \(f.shortDate(latest))") }
        if panel.source == .live, value.pages > 0 { parts.append("\(value.pages) page\(value.pages == 1 ? "" : "s")") }
        let text = parts.joined(separator: " \(context.glyphs.separator) ")
        canvas.put(DisplayWidth.truncate(text, to: width, ellipsis: context.glyphs.ellipsis), x: x, y: y + 1, role: .muted)
    }

    /// "Cost Management asked qlp to wait (Retry-After)" or "qlp's own budget
    /// of 30 Cost Management requests a minute is spent".
    static func whoIsWaiting(_ problem: PanelData<CostPanel>.Problem) -> String {
        (problem.throttleReason ?? .serviceAsked(header: nil)).words(service: "Cost Management")
    }

    private func renderWaiting(into canvas: inout Canvas, area: Rect, context: RenderContext) {
        let f = context.format
        let x = area.x + 1
        var y = area.y
        canvas.put("AZURE CREDITS", x: x, y: y, role: .title)
        y += 2
        if let problem = state.cost.problem, let until = problem.throttledUntil, until > context.now {
            canvas.put(
                "\(Self.whoIsWaiting(problem)): throttled until \(f.time(until)) \(f.zone(until))", x: x, y: y,
                role: .warning, maxWidth: area.width - 2)
        } else if let problem = state.cost.problem {
            canvas.put("Cost data unavailable: \(problem.summary)", x: x, y: y, role: .critical, maxWidth: area.width - 2)
            y += 1
            // The whole message, wrapped: it names the endpoint and what Azure said.
            for line in DisplayWidth.wrap(problem.detail, to: area.width - 2).prefix(4) {
                canvas.put(line, x: x, y: y, role: .muted)
                y += 1
            }
            if let next = problem.nextAttempt {
                canvas.put("Retrying at \(f.time(next)) (press r to retry now)", x: x, y: y, role: .muted)
            }
        } else {
            canvas.put("Fetching cost data from Cost Management\(context.glyphs.ellipsis)", x: x, y: y, role: .muted)
        }
    }

    private func sectionTitle(_ canvas: inout Canvas, _ title: String, detail: String, y: Int, x: Int, width: Int, stale: Bool) {
        var cx = x
        cx += canvas.put(title, x: cx, y: y, role: stale ? .stale : .title) + 2
        canvas.put(DisplayWidth.truncate(detail, to: x + width - cx), x: cx, y: y, role: .muted)
    }

    private func arrow(_ context: RenderContext) -> String { context.glyphs.isUnicode ? "→" : "to" }

    private func rateText(_ rate: BurnRate?, _ currency: Currency, _ f: DisplayFormat) -> String {
        guard let rate else { return "no complete day yet" }
        return "\(f.money(rate.perDay, currency))/day (\(rate.days)-day avg)"
    }

    /// Text and emphasis for an exhaustion date, in three lengths.
    private func exhaustionText(
        _ exhaustion: CreditExhaustion, expiry: CivilDate, format f: DisplayFormat,
        wording: ExhaustionWording
    ) -> (String, StyleRole) {
        wording.text(exhaustion, expiry: expiry, format: f)
    }

    private func role(for fraction: Decimal) -> StyleRole {
        ThresholdStyle.role(forFraction: fraction, thresholds: state.plan.monthly.alertThresholds)
    }

    private func role(for threshold: ThresholdState) -> StyleRole {
        ThresholdStyle.role(for: threshold, thresholds: state.plan.monthly.alertThresholds)
    }

    private func thresholdText(_ state: ThresholdState) -> String {
        switch state {
        case .clear: "below alerts"
        case .crossed(let t): "\(NSDecimalNumber(decimal: t).stringValue)% alert"
        case .exceeded: "OVER BUDGET"
        }
    }
}
