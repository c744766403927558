import Foundation
import QLPCanvas

/// Per gateway target: state, latency percentiles with a sparkline, TTFT,
/// tokens/s, error rate, breaker, input and output prices and observed share,
/// every figure with its unit; under the table, why each target that is not
/// ok is in its state. `s` sorts, `/` filters, ↑/↓ scroll.
public struct ModelsView {
    public enum SortColumn: String, Sendable, CaseIterable {
        case target, p95
        case errorRate = "errors"
        case share, cost
    }

    public var state: DashboardState
    public var sort: SortColumn
    public var filter: String
    public var selected: Int

    public init(state: DashboardState, sort: SortColumn = .target, filter: String = "", selected: Int = 0) {
        self.state = state
        self.sort = sort
        self.filter = filter
        self.selected = selected
    }

    /// The rows shown: filtered by target, backend or state, then sorted (worst first for figures).
    public static func rows(_ stats: [ModelTargetStats], sort: SortColumn, filter: String) -> [ModelTargetStats] {
        let needle = filter.lowercased()
        let kept =
            needle.isEmpty
            ? stats
            : stats.filter {
                "\($0.target) \($0.backend) \($0.state.rawValue) \($0.breaker.rawValue)".lowercased().contains(needle)
            }
        func price(_ value: Decimal?) -> Double? { value.map { NSDecimalNumber(decimal: $0).doubleValue } }
        func descending(_ a: Double?, _ b: Double?, _ x: ModelTargetStats, _ y: ModelTargetStats) -> Bool {
            switch (a, b) {
            case (let a?, let b?) where a != b: a > b
            case (.some, nil): true
            case (nil, .some): false
            default: x.target < y.target
            }
        }
        return kept.sorted { x, y in
            switch sort {
            case .target: x.target < y.target
            case .p95: descending(x.p95Milliseconds, y.p95Milliseconds, x, y)
            case .errorRate: descending(x.errorRate, y.errorRate, x, y)
            case .share: descending(x.observedShare, y.observedShare, x, y)
            // By input price, then output price: what a prompt-heavy route pays first.
            case .cost:
                x.inputCostPer1K == y.inputCostPer1K
                    ? descending(price(x.outputCostPer1K), price(y.outputCostPer1K), x, y)
                    : descending(price(x.inputCostPer1K), price(y.inputCostPer1K), x, y)
            }
        }
    }

    static let columns: [DataTable.Column] = [
        .init("TARGET", width: 12, priority: 100),
        .init("BACKEND", width: 12, priority: 10),
        .init("STATE", width: 8, priority: 95),
        .init("P50 ms", width: 6, alignRight: true, priority: 20),
        .init("P95 ms", width: 6, alignRight: true, priority: 90),
        .init("P99 ms", width: 6, alignRight: true, priority: 30),
        .init("LATENCY", width: 10, priority: 40),
        .init("TTFT ms", width: 7, alignRight: true, priority: 25),
        .init("TOK/S", width: 5, alignRight: true, priority: 35),
        .init("ERR %", width: 5, alignRight: true, priority: 80),
        .init("BREAKER", width: 9, priority: 60),
        // Prices per million tokens (per-thousand ones round to nothing at two decimals), input and output apart.
        .init("IN/1M", width: 6, alignRight: true, priority: 50),
        .init("OUT/1M", width: 6, alignRight: true, priority: 49),
        .init("SHARE", width: 5, alignRight: true, priority: 70),
        .init("PROBE", width: 5, alignRight: true, priority: 15),
    ]

    /// The latency sparkline grows to this many cells on a wide terminal (an hour of history at 90 s a cell).
    static let widestLatency = 40

    /// `columns` for `width` cells: a wide terminal's spare width goes first to the latency sparkline (more
    /// points), then evenly to every column, so that it reads as wider spacing rather than one empty gap.
    static func columns(width: Int) -> [DataTable.Column] {
        var columns = Self.columns
        let latency = 6
        var spare = width - (columns.map(\.width).reduce(0, +) + 2 * (columns.count - 1))
        guard spare > 0 else { return columns }
        let grow = min(spare, widestLatency - columns[latency].width)
        columns[latency].width += grow
        spare -= grow
        for i in columns.indices {
            columns[i].width += spare / columns.count + (i < spare % columns.count ? 1 : 0)
        }
        return columns
    }

    static func column(of sort: SortColumn) -> Int {
        switch sort {
        case .target: 0
        case .p95: 4
        case .errorRate: 9
        case .share: 13
        case .cost: 11
        }
    }

    public func render(into canvas: inout Canvas, area: Rect, context: RenderContext) {
        let x = area.x + 1
        let width = area.width - 2
        var y = area.y
        let panel = state.models
        canvas.put("MODELS", x: x, y: y, role: panel.staleness(now: context.now) == nil ? .title : .stale)
        var status: String
        if !state.gatewayStatsConnected {
            status = "not connected: this dashboard has no gateway statistics source"
        } else if let problem = panel.problem, panel.value == nil {
            status = "unavailable: \(problem.summary)"
        } else if let at = panel.updatedAt {
            status = "fetched \(context.format.age(context.now.timeIntervalSince(at))) ago"
            if let stale = panel.staleness(now: context.now) { status += " \(context.glyphs.separator) STALE: \(stale)" }
        } else {
            status = "fetching\(context.glyphs.ellipsis)"
        }
        if panel.value != nil {
            status += " \(context.glyphs.separator) sort: \(sort.rawValue)"
            if !filter.isEmpty { status += " \(context.glyphs.separator) filter: \(filter)" }
        }
        canvas.put(DisplayWidth.truncate(status, to: width - 8, ellipsis: context.glyphs.ellipsis), x: x + 8, y: y, role: .muted)
        y += 2
        guard let stats = panel.value else { return }
        let rows = Self.rows(stats, sort: sort, filter: filter)
        if rows.isEmpty {
            canvas.put(filter.isEmpty ? "no targets" : "no target matches '\(filter)'", x: x, y: y, role: .muted, maxWidth: width)
            return
        }
        let f = context.format
        let cells: [[DataTable.Content]] = rows.map { s in
            let breakerRole: StyleRole =
                switch s.breaker {
                case .closed: .ok
                case .halfOpen: .warning
                case .open: .critical
                }
            let errorRole: StyleRole = (s.errorRate ?? 0) >= 0.05 ? .critical : ((s.errorRate ?? 0) >= 0.01 ? .warning : .normal)
            return [
                .text(s.target, .normal),
                .text(s.backend, .muted),
                .text(s.state.rawValue, Self.role(of: s.state)),
                .text(Self.ms(s.p50Milliseconds), .normal),
                .text(Self.ms(s.p95Milliseconds), .normal),
                .text(Self.ms(s.p99Milliseconds), .normal),
                .sparkline(s.recentLatency),
                .text(Self.ms(s.ttftMilliseconds), .normal),
                .text(s.tokensPerSecond.map { String(format: "%.0f", $0) } ?? "-", .normal),
                .text(s.errorRate.map { String(format: "%.1f", $0 * 100) } ?? "-", errorRole),
                .text(s.breaker.rawValue, breakerRole),
                .text(s.inputCostPer1K.map { f.money($0 * 1000, state.plan.currency) } ?? "-", .normal),
                .text(s.outputCostPer1K.map { f.money($0 * 1000, state.plan.currency) } ?? "-", .normal),
                .text(s.observedShare.map { "\(Int(($0 * 100).rounded()))%" } ?? "-", .normal),
                .text(s.lastProbe.map { f.age(context.now.timeIntervalSince($0)) } ?? "-", .muted),
            ]
        }
        // Why each target that is not ok is in its state, under the table: as
        // many as fit with the table keeping its header and three rows.
        let explained = rows.filter { $0.state != .ok }
        let table = min(rows.count + 1, max(4, area.maxY - y - (explained.isEmpty ? 0 : explained.count + 1)))
        let chosen = min(selected, rows.count - 1)
        let offset = DataTable.offset(keeping: chosen, visible: table - 1, previous: 0, count: rows.count)
        DataTable(columns: Self.columns(width: width), rows: cells, sortColumn: Self.column(of: sort), selected: chosen, offset: offset)
            .render(into: &canvas, rect: Rect(x: x, y: y, width: width, height: table), glyphs: context.glyphs)
        var line = y + table + 1
        let lines = max(0, area.maxY - line)
        for (n, s) in explained.enumerated() where n < lines {
            if n == lines - 1, explained.count > lines {
                canvas.put(
                    "+\(explained.count - n) more not ok: /\(s.state.rawValue) filters them", x: x, y: line, role: .muted, maxWidth: width)
                break
            }
            canvas.put(
                DisplayWidth.truncate(Self.explanation(s, format: f), to: width, ellipsis: context.glyphs.ellipsis),
                x: x, y: line, role: Self.role(of: s.state))
            line += 1
        }
    }

    /// "gpt4 down since 03:12:04 UTC: cannot connect to 10.0.0.4 port 443 at 03:12:34 (2 probes failed in a row)".
    static func explanation(_ s: ModelTargetStats, format: DisplayFormat) -> String {
        var text = "\(s.target) \(s.state.rawValue)"
        if let since = s.since { text += " since \(format.time(since)) \(format.zone(since))" }
        return s.reason.isEmpty ? text : text + ": " + s.reason
    }

    static func role(of state: ModelTargetStats.Health) -> StyleRole {
        switch state {
        case .ok: .ok
        case .slow, .degraded: .warning
        case .down: .critical
        case .unknown, .drained: .muted
        }
    }

    /// "420" ms, "1.2s" above ten seconds' worth of digits.
    static func ms(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value >= 10_000 ? String(format: "%.1fs", value / 1000) : String(format: "%.0f", value)
    }
}
