import Foundation
import QLPCanvas
import QLPFeed

/// Azure Monitor at a glance: each configured resource's metrics with the
/// latest complete interval's value, its unit, and the last three hours as
/// a sparkline of complete intervals (the one still running is never shown:
/// a count summed over part of five minutes reads as traffic falling off).
public struct MonitorView {
    public var state: DashboardState
    /// Rows scrolled past (↑/↓ or j/k).
    public var scroll: Int

    public init(state: DashboardState, scroll: Int = 0) {
        self.state = state
        self.scroll = scroll
    }

    public func render(into canvas: inout Canvas, area: Rect, context: RenderContext) {
        let f = context.format
        let x = area.x + 1
        let width = area.width - 2
        var y = area.y
        let panel = state.monitor
        canvas.put("AZURE MONITOR", x: x, y: y, role: panel.staleness(now: context.now) == nil ? .title : .stale)
        var status: String
        if let problem = panel.problem, panel.value == nil {
            status = "unavailable: \(problem.summary)"
        } else if panel.source == .cache, panel.problem == nil, let at = panel.updatedAt {
            // Points kept by an earlier run, shown until the first fetch returns.
            status =
                "STALE: kept from an earlier run, newest point \(f.age(context.now.timeIntervalSince(at))) old; fetching\(context.glyphs.ellipsis)"
        } else if let stale = panel.staleness(now: context.now) {
            status = "STALE: \(stale)"
        } else if let at = panel.updatedAt {
            status = "fetched \(f.age(context.now.timeIntervalSince(at))) ago, last 3 hours in complete 5-minute points"
        } else {
            status = "fetching\(context.glyphs.ellipsis)"
        }
        if panel.value == nil, panel.problem == nil, state.identity.isDemo == false, panel.updatedAt == nil, !panel.refreshing {
            status = "no metrics configured (azure.monitor.resources in the config)"
        }
        let statusY = y
        canvas.put(DisplayWidth.truncate(status, to: width - 15, ellipsis: context.glyphs.ellipsis), x: x + 15, y: y, role: .muted)
        y += 2
        guard let value = panel.value else { return }

        let rows = value.rows
        if panel.source == .live, panel.staleness(now: context.now) == nil, let at = panel.updatedAt,
            let latest = rows.filter({ !$0.fromHistory && $0.failure == nil && $0.measure.interval == MetricsPoller.grainSeconds })
                .compactMap(\.latestAt).max()
        {
            // Which five minutes LATEST is: the last that has ended, never the one still running.
            let minute = { (d: Date) in String(f.time(d).prefix(5)) }
            status =
                "fetched \(f.age(context.now.timeIntervalSince(at))) ago \(context.glyphs.separator) LATEST: \(minute(latest))-"
                + "\(minute(latest.addingTimeInterval(MetricsPoller.grainSeconds))) \(f.zone(latest)), the last complete 5 minutes"
            canvas.fill(Rect(x: x + 15, y: statusY, width: width - 15, height: 1))
            canvas.put(
                DisplayWidth.truncate(status, to: width - 15, ellipsis: context.glyphs.ellipsis), x: x + 15, y: statusY, role: .muted)
        }
        let values = rows.map { row in row.latest.map { MetricValueText($0, row.measure) } }
        let fetchedColumns = Int(MetricsPoller.window / MetricsPoller.grainSeconds)
        let resourceW = min(24, max(8, rows.map { DisplayWidth.of($0.resource) }.max() ?? 8))
        let numberW = max(7, values.map { $0.map { DisplayWidth.of($0.number) } ?? 0 }.max() ?? 0)
        let unitW = min(8, max(4, values.map { $0.map { DisplayWidth.of($0.unit) } ?? 0 }.max() ?? 0))
        // The number and its unit, one space apart.
        let latestW = numberW + 1 + unitW
        // The sparkline keeps at least 12 cells (15 minutes each) before metric names give way.
        let metricW = max(6, min(34, rows.map { DisplayWidth.of($0.metric) }.max() ?? 6, width - resourceW - latestW - 6 - 12))
        // As many cells as the longest series has points (one cell per 5 minutes), no more: the
        // sparklines start where their heading does instead of sitting right-aligned in a wide column.
        // When the points outnumber the cells they are averaged in groups, and the width is the
        // number of groups: a narrower sparkline rather than a blank run before its first point.
        let sparkRoom = max(8, width - resourceW - metricW - latestW - 6)
        // Kept history reaches past Azure's three hours: a wide terminal shows as much as fits at
        // three points (15 minutes) a cell, a narrow one Azure's three hours. Every row is drawn over
        // the same span, padded where it knows less, so one heading names one time axis.
        let known = rows.filter { $0.failure == nil }.map(\.series.count).max() ?? fetchedColumns
        let points = max(12, min(known, max(fetchedColumns, sparkRoom * 3)))
        let sparkW = Sparkline.fitted(Array(repeating: 0, count: points), to: sparkRoom).count
        if points > fetchedColumns, panel.source == .live, panel.staleness(now: context.now) == nil, let at = panel.updatedAt {
            // Say where the columns before Azure's window come from.
            status =
                "fetched \(f.age(context.now.timeIntervalSince(at))) ago, 5-minute points; before the last 3 hours, kept from earlier fetches"
            canvas.fill(Rect(x: x + 15, y: statusY, width: width - 15, height: 1))
            canvas.put(
                DisplayWidth.truncate(status, to: width - 15, ellipsis: context.glyphs.ellipsis), x: x + 15, y: statusY, role: .muted)
        }
        canvas.put("RESOURCE", x: x, y: y, width: resourceW, role: .title)
        canvas.put("METRIC", x: x + resourceW + 2, y: y, width: metricW, role: .title)
        canvas.put("LATEST", x: x + resourceW + metricW + 4, y: y, width: numberW, role: .title, alignRight: true)
        canvas.put("UNIT", x: x + resourceW + metricW + 4 + numberW + 1, y: y, width: unitW, role: .title)
        canvas.put(
            Self.spanHeading(columns: points, grain: MetricsPoller.grainSeconds), x: x + resourceW + metricW + latestW + 6, y: y,
            role: .title, maxWidth: sparkW)
        y += 1
        let failures = value.failedResources
        let room = area.maxY - y - (failures.isEmpty ? 0 : 1) - 1
        let first = min(max(0, scroll), max(0, rows.count - room))
        var previous = ""
        for (row, value) in zip(rows, values).dropFirst(first).prefix(room) {
            // The resource name once per group, as a table a person scans.
            if row.resource != previous {
                canvas.put(row.resource, x: x, y: y, width: resourceW, ellipsis: context.glyphs.ellipsis)
                previous = row.resource
            }
            canvas.put(row.metric, x: x + resourceW + 2, y: y, width: metricW, role: .muted, ellipsis: context.glyphs.ellipsis)
            let latestX = x + resourceW + metricW + 4
            if let failure = row.failure {
                canvas.put(
                    DisplayWidth.truncate(failure, to: latestW + 2 + sparkRoom, ellipsis: context.glyphs.ellipsis), x: latestX, y: y,
                    role: .warning)
            } else {
                // Kept values are not current: drawn as stale, the failure or cache note saying why.
                let role: StyleRole = value == nil ? .muted : row.fromHistory ? .stale : .normal
                canvas.put(value?.number ?? "no data", x: latestX, y: y, width: numberW, role: role, alignRight: true)
                if let value {
                    canvas.put(
                        value.unit, x: latestX + numberW + 1, y: y, width: unitW, role: row.fromHistory ? .stale : .muted,
                        ellipsis: context.glyphs.ellipsis)
                }
                let shown = Array(repeating: nil, count: max(0, points - row.series.count)) + row.series.suffix(points)
                Sparkline(values: shown).render(into: &canvas, x: latestX + latestW + 2, y: y, width: sparkW, glyphs: context.glyphs)
            }
            y += 1
        }
        if rows.count > room {
            let shown =
                "rows \(first + 1)-\(min(rows.count, first + room)) of \(rows.count) \(context.glyphs.separator) \(context.glyphs.isUnicode ? "↑↓" : "up/down") to scroll"
            canvas.put(shown, x: x, y: area.maxY - 1 - (failures.isEmpty ? 0 : 1), role: .muted)
        }
        if !failures.isEmpty {
            let text = "failed: " + failures.map { "\($0.name) (\($0.reason))" }.joined(separator: ", ")
            canvas.put(DisplayWidth.truncate(text, to: width, ellipsis: context.glyphs.ellipsis), x: x, y: area.maxY - 1, role: .critical)
        }
    }
}

extension MonitorView {
    /// The span a sparkline column covers: "LAST 3 HOURS", "LAST 7H 25M", "LAST 45 MIN".
    static func spanHeading(columns: Int, grain: TimeInterval) -> String {
        let minutes = Int((Double(columns) * grain / 60).rounded())
        if minutes < 60 { return "LAST \(minutes) MIN" }
        if minutes % 60 == 0 { return minutes == 60 ? "LAST HOUR" : "LAST \(minutes / 60) HOURS" }
        return "LAST \(minutes / 60)H \(minutes % 60)M"
    }
}

/// Metric values in their unit, compactly: "38.2%", "9.6 GB", "312 ms".
public enum MetricUnitFormat {
    public static func string(_ value: Double, unit: String) -> String {
        switch unit.lowercased() {
        case "percent": return number(value, decimals: 1) + "%"
        case "bytes": return bytes(value)
        case "bytespersecond": return bytes(value) + "/s"
        case "milliseconds": return number(value, decimals: value < 10 ? 1 : 0) + " ms"
        case "seconds": return value < 10 ? number(value, decimals: 2) + " s" : number(value, decimals: 0) + " s"
        case "countpersecond": return number(value, decimals: value < 10 ? 1 : 0) + "/s"
        case "millicores": return number(value, decimals: 0) + " mc"
        default: return number(value, decimals: value.rounded() == value || abs(value) >= 100 ? 0 : 1)
        }
    }

    static func bytes(_ value: Double) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var v = value
        var i = 0
        while abs(v) >= 1000, i < units.count - 1 {
            v /= 1000
            i += 1
        }
        return number(v, decimals: i == 0 || v >= 100 ? 0 : 1) + " " + units[i]
    }

    /// Fixed decimals with thousands separators, without the locale.
    static func number(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", value)
        let parts = text.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        let negative = whole.hasPrefix("-")
        if negative { whole.removeFirst() }
        var grouped = ""
        for (i, digit) in whole.enumerated() {
            if i > 0, (whole.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (negative ? "-" : "") + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }
}
