import Foundation
import QLPCanvas
import QLPCore

/// Spend per day as bars, newest on the right, with the monthly budget's
/// daily allowance for comparison. Today is partial (Azure lags) and drawn
/// muted so nobody reads it as a drop.
struct DailySpendChart {
    var costs: [DailyCost]
    var overview: BudgetOverview

    /// Title, at least three rows of bars, and the date axis.
    static let minimumHeight = 5

    func render(into canvas: inout Canvas, rect: Rect, context: RenderContext) {
        let f = context.format
        let currency = overview.currency
        let last = overview.today
        let earliest = costs.map(\.day).min() ?? last
        let first = max(earliest, last.adding(days: -(rect.width - 1)))
        guard let days = DayRange(first, last) else { return }
        var totals: [Int: Decimal] = [:]
        for row in costs where days.contains(row.day) { totals[row.day.dayNumber, default: 0] += row.amount }
        let series = days.map { totals[$0.dayNumber] ?? 0 }
        let complete = Array(series.dropLast())
        let peak = complete.max() ?? 0
        let peakDay = complete.firstIndex(of: peak).map { days.first.adding(days: $0) }
        let allowance = overview.monthly.amount / Decimal(overview.today.daysInMonth)

        var title = "DAILY SPEND  last \(days.count) days"
        if let peakDay, peak > 0 { title += " \(context.glyphs.separator) peak \(f.money(peak, currency)) on \(f.shortDate(peakDay))" }
        title += " \(context.glyphs.separator) budget pace \(f.money(allowance, currency))/day"
        canvas.put(
            DisplayWidth.truncate(title, to: rect.width, ellipsis: context.glyphs.ellipsis),
            x: rect.x, y: rect.y, role: .title)

        let bars = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 2)
        let barWidth = max(1, min(3, bars.width / max(1, series.count)))
        let used = series.count * barWidth
        let scale = max(peak, allowance, series.last ?? 0).doubleForDisplay
        // The allowance as a faint line behind the bars: above it, the month overspends.
        let allowanceRow = bars.maxY - 1 - Int((allowance.doubleForDisplay / max(scale, 0.01) * Double(bars.height)).rounded(.down))
        if allowanceRow >= bars.y, allowanceRow < bars.maxY {
            canvas.fill(
                Rect(x: bars.maxX - used, y: allowanceRow, width: used, height: 1),
                with: context.glyphs.isUnicode ? "┈" : "-", role: .gaugeEmpty)
        }
        BarChart(
            values: series.map(\.doubleForDisplay), scale: scale, role: .accent,
            highlighted: [series.count - 1], highlightRole: .muted, barWidth: barWidth
        )
        .render(into: &canvas, rect: bars, glyphs: context.glyphs)

        let axis = rect.maxY - 1
        let start = bars.maxX - used
        canvas.put(f.shortDate(days.first), x: start, y: axis, role: .muted)
        let end = "today (partial)"
        canvas.put(end, x: rect.maxX - DisplayWidth.of(end), y: axis, role: .muted)
    }
}
