import Foundation
import QLPCanvas
import QLPCore

/// Per client key of the gateway in this process: its state, spend this
/// budget period against the budget, requests and tokens in the period,
/// requests and tokens in the last minute against its limits, refusals, expiry
/// and the routes its money went to; under the table, the selected key in
/// words. A key the gateway is refusing for a limit stands out (its name and
/// the figure at the limit in the critical colour, and counted in the title).
/// `s` sorts, `/` filters by name, ↑/↓ select.
public struct KeysView {
    public var state: DashboardState
    public var sort: KeySortOrder
    public var filter: String
    public var selected: Int

    public init(state: DashboardState, sort: KeySortOrder = .spend, filter: String = "", selected: Int = 0) {
        self.state = state
        self.sort = sort
        self.filter = filter
        self.selected = selected
    }

    /// The rows shown: those whose name matches the filter, in the sort's order.
    public static func rows(_ keys: [KeyActivity], sort: KeySortOrder, filter: String) -> [KeyActivity] {
        sort.sorted(KeyFilter(filter).apply(keys))
    }

    /// What an empty list means: no key exists, so the gateway admits every request unkeyed.
    static let noKeys = "the gateway requires no client key: every request is counted as '\(UsageRecord.anonymous)'"

    /// At 80 columns (78 cells of table) the first eight fit with 14 cells
    /// for the name; a longer name takes the room of REQ, then of TPM, rather
    /// than be cut (up to 24 cells). The rest join as the terminal widens, all
    /// of them by 120 while names are short.
    static func columns(nameWidth: Int) -> [DataTable.Column] {
        [
            .init("NAME", width: min(24, max(8, nameWidth)), priority: 100),
            .init("STATE", width: 7, priority: 70),
            .init("SPENT", width: 9, alignRight: true, priority: 90),
            .init("BUDGET", width: 10, alignRight: true, priority: 88),
            .init("USED", width: 4, alignRight: true, priority: 89),
            .init("REQ", width: 4, alignRight: true, priority: 50),
            // "188/1.2k", "81k/200k": a count and a limit of up to three digits and a unit each.
            .init("RPM", width: 8, alignRight: true, priority: 80),
            .init("TPM", width: 8, alignRight: true, priority: 60),
            .init("TOKENS", width: 6, alignRight: true, priority: 35),
            .init("REFUSED", width: 7, alignRight: true, priority: 45),
            .init("EXPIRES", width: 8, priority: 20),
            // Takes a wide terminal's spare width: more of the routes show.
            .init("TOP ROUTES", width: 10, priority: 30, flexible: true),
        ]
    }

    static let topRoutesColumn = 11

    /// `columns` for `width` cells. Spare width goes to TOP ROUTES when it
    /// shows; when it does not, evenly to the columns that do, so that it reads
    /// as wider spacing rather than one gap before the last column.
    static func columns(nameWidth: Int, width: Int) -> [DataTable.Column] {
        var columns = columns(nameWidth: nameWidth)
        let chosen = DataTable(columns: columns, rows: []).layout(width: width).map(\.index)
        guard !chosen.contains(topRoutesColumn) else { return columns }
        let spare = width - (chosen.map { columns[$0].width }.reduce(0, +) + 2 * (chosen.count - 1))
        guard spare > 0 else { return columns }
        for (n, index) in chosen.enumerated() {
            columns[index].width += spare / chosen.count + (n < spare % chosen.count ? 1 : 0)
        }
        return columns
    }

    static func column(of sort: KeySortOrder) -> Int {
        switch sort {
        case .name: 0
        case .spend: 2
        case .requests: 5
        case .rpm: 6
        }
    }

    public func render(into canvas: inout Canvas, area: Rect, context: RenderContext) {
        let x = area.x + 1
        let width = area.width - 2
        var y = area.y
        let panel = state.keys
        let stale = panel.staleness(now: context.now)
        canvas.put("KEYS", x: x, y: y, role: stale == nil ? .title : .stale)
        let sep = " \(context.glyphs.separator) "
        guard state.keysConnected else {
            putStatus("not connected: no gateway runs in this process", into: &canvas, x: x, y: y, width: width, context: context)
            canvas.put(
                "Key figures come from the gateway that checks the keys; none runs here.", x: x, y: y + 2,
                role: .muted, maxWidth: width)
            return
        }
        guard let keys = panel.value, let at = panel.updatedAt else {
            putStatus("fetching\(context.glyphs.ellipsis)", into: &canvas, x: x, y: y, width: width, context: context)
            return
        }
        // The counts that matter first; the least needed parts (the age last) give way before anything is cut.
        let standings = keys.map(KeyStanding.init)
        var parts = ["\(keys.count) key\(keys.count == 1 ? "" : "s")"]
        let over = standings.filter(\.overBudget).count
        let limited = standings.filter { !$0.overBudget && $0.atRateLimit }.count
        if over > 0 { parts.append("\(over) over budget") }
        if limited > 0 { parts.append("\(limited) at a rate limit") }
        if let stale { parts.append("STALE: \(stale)") }
        if !keys.isEmpty {
            parts.append("sort: \(sort.rawValue)")
            if !filter.isEmpty { parts.append("filter: \(filter)") }
        }
        parts.append("fetched \(context.format.age(context.now.timeIntervalSince(at))) ago")
        var status = parts.joined(separator: sep)
        while DisplayWidth.of(status) > width - 8, parts.count > 1 {
            parts.removeLast()
            status = parts.joined(separator: sep)
        }
        putStatus(status, into: &canvas, x: x, y: y, width: width, context: context, role: over + limited > 0 ? .warning : .muted)
        y += 2
        if keys.isEmpty {
            canvas.put(Self.noKeys, x: x, y: y, role: .muted, maxWidth: width)
            return
        }
        let rows = Self.rows(keys, sort: sort, filter: filter)
        if rows.isEmpty {
            canvas.put("no key matches '\(filter)'", x: x, y: y, role: .muted, maxWidth: width)
            return
        }
        let chosen = min(selected, rows.count - 1)
        let detail = KeyDetail(key: rows[chosen], currency: state.plan.currency, thresholds: state.plan.monthly.alertThresholds)
            .rows(width: width, context: context)
        // The table keeps its header and three rows whatever the detail needs; the detail has the rest.
        let table = min(rows.count + 1, max(4, area.maxY - y - detail.count - 1))
        let offset = DataTable.offset(keeping: chosen, visible: table - 1, previous: 0, count: rows.count)
        let columns = Self.columns(nameWidth: rows.map { DisplayWidth.of($0.name) }.max() ?? 8, width: width)
        let routesWidth =
            DataTable(columns: columns, rows: []).layout(width: width)
            .first { $0.index == Self.topRoutesColumn }?.width ?? 0
        DataTable(
            columns: columns, rows: rows.map { cells($0, topRoutesWidth: routesWidth, context: context) },
            sortColumn: Self.column(of: sort), selected: chosen, offset: offset
        )
        .render(into: &canvas, rect: Rect(x: x, y: y, width: width, height: table), glyphs: context.glyphs)
        for (n, line) in detail.enumerated() where y + table + 1 + n < area.maxY {
            canvas.put(line.text, x: x, y: y + table + 1 + n, role: line.role, maxWidth: width)
        }
    }

    private func putStatus(
        _ text: String, into canvas: inout Canvas, x: Int, y: Int, width: Int, context: RenderContext,
        role: StyleRole = .muted
    ) {
        canvas.put(DisplayWidth.truncate(text, to: width - 8, ellipsis: context.glyphs.ellipsis), x: x + 8, y: y, role: role)
    }

    func cells(_ key: KeyActivity, topRoutesWidth: Int, context: RenderContext) -> [DataTable.Content] {
        let f = context.format
        let currency = state.plan.currency
        let standing = KeyStanding(key)
        let active = key.state == .active
        // Only an active key's figures are news; a revoked or expired one is refused whatever they say.
        func loud(_ urgency: ThresholdUrgency) -> StyleRole { active ? ThresholdStyle.role(urgency, quiet: .normal) : .muted }
        let nameRole: StyleRole = !active ? .muted : standing.stopped ? .critical : .normal
        let stateRole: StyleRole = active ? .ok : .muted
        let budget = key.limits.budget
        let usedRole: StyleRole =
            if standing.overBudget {
                .critical
            } else if let fraction = standing.budgetFraction, active {
                ThresholdStyle.role(forFraction: fraction, thresholds: state.plan.monthly.alertThresholds, quiet: .normal)
            } else {
                active ? .normal : .muted
            }
        let top = Self.topRoutes(key.topRoutes.map { ($0.route, f.money($0.cost, currency)) }, width: topRoutesWidth)
        return [
            .text(key.name, nameRole),
            .text(key.state.rawValue, stateRole),
            .text(f.money(key.spent, currency), active ? .normal : .muted),
            .text(budget.map { f.money($0.amount, currency) + Self.per($0.period) } ?? "-", active ? .normal : .muted),
            .text(standing.budgetFraction.map(Self.percent) ?? "-", usedRole),
            .text(CompactCount.string(key.requests), active ? .normal : .muted),
            .text(
                Self.rate(key.requestsLastMinute, limit: key.limits.requestsPerMinute),
                loud(KeyStanding.urgency(ofRate: standing.requestRateFraction))),
            .text(
                Self.rate(key.tokensLastMinute, limit: key.limits.tokensPerMinute),
                loud(KeyStanding.urgency(ofRate: standing.tokenRateFraction))),
            .text(CompactCount.string(key.tokens), active ? .normal : .muted),
            .text(CompactCount.string(key.refused), key.refused > 0 && active ? .warning : .muted),
            .text(expiry(key, context: context), active ? .normal : .muted),
            .text(top.isEmpty ? "-" : top, .muted),
        ]
    }

    /// "chat £30.10, code £12.00", as many whole as `width` holds, then how
    /// many more ("chat £30.10 +2"); else the top one with its spend alone;
    /// else the names ("embeddings +1"). A name is cut only when nothing else is left.
    static func topRoutes(_ routes: [(route: String, cost: String)], width: Int) -> String {
        guard let first = routes.first else { return "" }
        let withSpend = routes.map { "\($0.route) \($0.cost)" }
        let counted = fitting(withSpend, width: width)
        if !counted.isEmpty { return counted }
        if DisplayWidth.of(withSpend[0]) <= width { return withSpend[0] }
        let names = fitting(routes.map(\.route), width: width)
        return names.isEmpty ? first.route : names
    }

    /// The longest run of `items` from the first that fits `width` with a count of the rest; "" when none does.
    static func fitting(_ items: [String], width: Int) -> String {
        var shown = ""
        for (n, item) in items.enumerated() {
            let joined = shown.isEmpty ? item : shown + ", " + item
            let rest = items.count - n - 1
            guard DisplayWidth.of(joined) + (rest > 0 ? DisplayWidth.of(" +\(rest)") : 0) <= width else {
                return shown.isEmpty ? "" : shown + " +\(items.count - n)"
            }
            shown = joined
        }
        return shown
    }

    /// "12/30": the last minute's count against the limit; "12/-" without one.
    static func rate(_ now: Int, limit: Int?) -> String {
        "\(CompactCount.string(now))/\(limit.map(CompactCount.string) ?? "-")"
    }

    /// "84%": cut down, so a key reads 100% only once the gateway refuses it;
    /// from ten times the budget on, "12x" (four cells hold it).
    static func percent(_ fraction: Decimal) -> String {
        let percent = NSDecimalNumber(decimal: fraction * 100).doubleValue
        return percent >= 1000 ? "\(Int(min(999, percent / 100)))x" : "\(Int(percent.rounded(.down)))%"
    }

    /// "/mo", "/wk", "/day" after a budget.
    static func per(_ period: KeyBudget.Period) -> String {
        switch period {
        case .day: "/day"
        case .week: "/wk"
        case .month: "/mo"
        }
    }

    /// "in 12d", "3h ago", "never".
    func expiry(_ key: KeyActivity, context: RenderContext) -> String {
        guard let expires = key.expiresAt else { return "never" }
        let interval = expires.timeIntervalSince(context.now)
        return interval > 0 ? "in \(context.format.age(interval))" : "\(context.format.age(-interval)) ago"
    }
}
