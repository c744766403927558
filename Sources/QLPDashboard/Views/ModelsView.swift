import Foundation
import QLPCanvas

/// Per gateway target: state, latency percentiles with a sparkline, TTFT,
/// tokens/s, error rate, breaker, price and observed share; `s` sorts, `/`
/// filters, ↑/↓ scroll.
public struct ModelsView {
    public enum SortColumn: String, Sendable, CaseIterable {
        case target, p95, errorRate = "errors", share, cost
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
        let kept = needle.isEmpty ? stats : stats.filter {
            "\($0.target) \($0.backend) \($0.state) \($0.breaker.rawValue)".lowercased().contains(needle)
        }
        func descending(_ a: Double?, _ b: Double?, _ x: ModelTargetStats, _ y: ModelTargetStats) -> Bool {
            switch (a, b) {
            case let (a?, b?) where a != b: a > b
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
            case .cost: descending(x.costPer1K.map { NSDecimalNumber(decimal: $0).doubleValue },
                                   y.costPer1K.map { NSDecimalNumber(decimal: $0).doubleValue }, x, y)
            }
        }
    }

    static let columns: [DataTable.Column] = [
        .init("TARGET", width: 12, priority: 100),
        .init("BACKEND", width: 12, priority: 10),
        .init("STATE", width: 8, priority: 60),
        .init("P50", width: 6, alignRight: true, priority: 20),
        .init("P95", width: 6, alignRight: true, priority: 90),
        .init("P99", width: 6, alignRight: true, priority: 30),
        .init("LATENCY", width: 10, priority: 40),
        .init("TTFT", width: 6, alignRight: true, priority: 25),
        .init("TOK/S", width: 6, alignRight: true, priority: 35),
        .init("ERR%", width: 5, alignRight: true, priority: 80),
        .init("BREAKER", width: 9, priority: 85),
        .init("/1M TOK", width: 8, alignRight: true, priority: 50),
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
        case .share: 12
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
            let breakerRole: StyleRole = switch s.breaker {
            case .closed: .ok
            case .halfOpen: .warning
            case .open: .critical
            }
            let errorRole: StyleRole = (s.errorRate ?? 0) >= 0.05 ? .critical : ((s.errorRate ?? 0) >= 0.01 ? .warning : .normal)
            return [
                .text(s.target, .normal),
                .text(s.backend, .muted),
                .text(s.state, s.state == "ok" ? .ok : .warning),
                .text(Self.ms(s.p50Milliseconds), .normal),
                .text(Self.ms(s.p95Milliseconds), .normal),
                .text(Self.ms(s.p99Milliseconds), .normal),
                .sparkline(s.recentLatency),
                .text(Self.ms(s.ttftMilliseconds), .normal),
                .text(s.tokensPerSecond.map { String(format: "%.0f", $0) } ?? "-", .normal),
                .text(s.errorRate.map { String(format: "%.1f", $0 * 100) } ?? "-", errorRole),
                .text(s.breaker.rawValue, breakerRole),
                // Per million tokens: per-thousand prices round to nothing at two decimals.
                .text(s.costPer1K.map { f.money($0 * 1000, state.plan.currency) } ?? "-", .normal),
                .text(s.observedShare.map { "\(Int(($0 * 100).rounded()))%" } ?? "-", .normal),
                .text(s.lastProbe.map { f.age(context.now.timeIntervalSince($0)) } ?? "-", .muted),
            ]
        }
        let room = area.maxY - y
        let chosen = min(selected, rows.count - 1)
        let offset = DataTable.offset(keeping: chosen, visible: room - 1, previous: 0, count: rows.count)
        DataTable(columns: Self.columns(width: width), rows: cells, sortColumn: Self.column(of: sort), selected: chosen, offset: offset)
            .render(into: &canvas, rect: Rect(x: x, y: y, width: width, height: room), glyphs: context.glyphs)
    }

    /// "420" ms, "1.2s" above ten seconds' worth of digits.
    static func ms(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value >= 10_000 ? String(format: "%.1fs", value / 1000) : String(format: "%.0f", value)
    }
}
