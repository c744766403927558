import Foundation
import QLPCanvas
import QLPCore
import QLPRouting

/// Each route's targets with target weight against observed share, policy,
/// fallback chain and drained marks, the budget rules, and the staged draft.
public struct RoutingView {
    public struct Row: Sendable, Equatable {
        public var route: String
        public var target: String
    }

    public var state: DashboardState
    public var draft: RouteDraft?
    public var selected: Int

    public init(state: DashboardState, draft: RouteDraft? = nil, selected: Int = 0) {
        self.state = state
        self.draft = draft
        self.selected = selected
    }

    /// Every selectable (route, target) pair, in screen order.
    public static func rows(_ table: RouteTable?) -> [Row] {
        guard let table else { return [] }
        return table.routes.flatMap { route in route.targetNames.map { Row(route: route.name, target: $0) } }
    }

    enum Line {
        case route(Route)
        case target(Route, String, index: Int)
        case rulesTitle
        case rule(BudgetRoutingRule)
        case blank
    }

    public func render(into canvas: inout Canvas, area: Rect, context: RenderContext) {
        let x = area.x + 1
        let width = area.width - 2
        var y = area.y
        let panel = state.routing
        // Attached to a fleet: which replicas serve which version, right under the title.
        let fleetLine = state.fleet.map { FleetLine.text($0, width: width, glyphs: context.glyphs) }
        let fleetRole: StyleRole =
            state.fleet.map { replicas in
                replicas.contains { if case .down = $0.state { true } else { false } } ? .warning : .muted
            } ?? .muted
        guard let live = panel.value?.table else {
            canvas.put("ROUTES", x: x, y: y, role: .title)
            if let fleetLine { canvas.put(fleetLine, x: x, y: y + 1, role: fleetRole) }
            let why: String
            if !state.routeControlConnected {
                why = "not connected: this dashboard has no gateway route control"
            } else if let problem = panel.problem {
                why = "unavailable: \(problem.summary)"
            } else {
                why = "fetching the route table\(context.glyphs.ellipsis)"
            }
            canvas.put(DisplayWidth.truncate(why, to: width - 8, ellipsis: context.glyphs.ellipsis), x: x + 8, y: y, role: .muted)
            return
        }
        let table = draft?.table ?? live
        let observed = panel.value?.observed ?? [:]
        // Title row: version and freshness; the draft, loudly, when there is one.
        canvas.put("ROUTES", x: x, y: y, role: panel.staleness(now: context.now) == nil ? .title : .stale)
        var parts = ["table v\(live.version)"]
        if let stale = panel.staleness(now: context.now) { parts.append("STALE: \(stale)") }
        if state.readOnly { parts.append(state.readOnlyReason.map { "read-only: \($0)" } ?? "read-only") }
        if let at = panel.updatedAt { parts.append("fetched \(context.format.age(context.now.timeIntervalSince(at))) ago") }
        var right = ""
        if let draft {
            right =
                "DRAFT: \(draft.changes.count) change\(draft.changes.count == 1 ? "" : "s") \(context.glyphs.separator) Enter review \(context.glyphs.separator) Esc discard"
            if draft.base.version != live.version { right = "DRAFT on v\(draft.base.version), live is v\(live.version)" }
        }
        let rightW = DisplayWidth.of(right)
        let statusW = max(0, width - 8 - (right.isEmpty ? 0 : rightW + 2))
        // The least needed parts (the age last) give way before anything is cut.
        var status = parts.joined(separator: " \(context.glyphs.separator) ")
        while DisplayWidth.of(status) > statusW, parts.count > 1 {
            parts.removeLast()
            status = parts.joined(separator: " \(context.glyphs.separator) ")
        }
        canvas.put(DisplayWidth.truncate(status, to: statusW, ellipsis: context.glyphs.ellipsis), x: x + 8, y: y, role: .muted)
        if !right.isEmpty {
            canvas.put(
                DisplayWidth.truncate(right, to: width - 8, ellipsis: context.glyphs.ellipsis),
                x: x + max(8, width - rightW), y: y, role: .warning)
        }
        y += 1
        if let fleetLine {
            canvas.put(fleetLine, x: x, y: y, role: fleetRole)
            y += 1
        }

        var lines: [Line] = []
        var index = 0
        for route in table.routes {
            lines.append(.route(route))
            for target in route.targetNames {
                lines.append(.target(route, target, index: index))
                index += 1
            }
            lines.append(.blank)
        }
        if !table.budgetRules.isEmpty {
            lines.append(.rulesTitle)
            lines += table.budgetRules.map { Line.rule($0) }
        }
        let room = area.maxY - y - 1
        let selectedLine = lines.firstIndex { if case .target(_, _, let i) = $0 { i == selected } else { false } } ?? 0
        let first = DataTable.offset(keeping: selectedLine, visible: room, previous: 0, count: lines.count)

        let nameW = min(18, max(8, table.targets.map { DisplayWidth.of($0.name) }.max() ?? 8))
        let stateW = 9
        let barsW = max(10, width - 2 - nameW - 1 - stateW - 2)
        let barW = max(3, (barsW - 2 * 5 - 2) / 2)
        canvas.put("target", x: x + 2, y: y, role: .muted)
        canvas.put("weight", x: x + 2 + nameW + 1 + 5, y: y, role: .muted)
        canvas.put("observed share", x: x + 2 + nameW + 1 + 5 + barW + 2 + 5, y: y, role: .muted)
        y += 1
        let active = activeRules(table)
        // The last row says how the last apply or undo went (kept free for it).
        if let notice = state.notice, context.now.timeIntervalSince(notice.at) < Notice.lifetime {
            canvas.put(
                DisplayWidth.truncate(notice.text, to: width, ellipsis: context.glyphs.ellipsis), x: x, y: area.maxY - 1,
                role: notice.isError ? .critical : .accent)
        }
        for line in lines.dropFirst(first).prefix(room) {
            switch line {
            case .route(let route):
                var x0 = x
                x0 += canvas.put(route.name, x: x0, y: y, role: .accent)
                let policyChanged = route.policy != live.route(named: route.name)?.policy
                x0 += canvas.put("  \(route.policy.rawValue)", x: x0, y: y, role: policyChanged ? .warning : .normal)
                let arrow = context.glyphs.isUnicode ? " → " : " > "
                let fallback = route.fallback.isEmpty ? "none" : route.fallback.joined(separator: arrow)
                let fallbackChanged = route.fallback != live.route(named: route.name)?.fallback
                var rest = "  fallback: \(fallback)"
                if let slo = route.latencySLOMilliseconds { rest += "  SLO \(slo) ms" }
                if let traffic = panel.value?.traffic[route.name] {
                    rest += "  \(context.glyphs.separator) observed: \(traffic.requests) req in \(traffic.windowSeconds) s"
                }
                canvas.put(
                    DisplayWidth.truncate(rest, to: max(0, x + width - x0), ellipsis: context.glyphs.ellipsis),
                    x: x0, y: y, role: fallbackChanged ? .warning : .muted)
            case .target(let route, let target, let i):
                let isSelected = i == selected
                let weight = route.shares.first { $0.target == target }?.weight
                let liveWeight = live.route(named: route.name)?.shares.first { $0.target == target }?.weight
                let share = observed[route.name]?[target]
                let drained = table.isDrained(target)
                canvas.put(isSelected ? (context.glyphs.isUnicode ? "▶" : ">") : " ", x: x, y: y, role: .accent)
                canvas.put(target, x: x + 2, y: y, width: nameW, role: drained ? .muted : .normal, ellipsis: context.glyphs.ellipsis)
                var bx = x + 2 + nameW + 1
                let weightText = weight.map { "\($0)%" } ?? "-"
                canvas.put(weightText, x: bx, y: y, width: 4, role: weight != liveWeight ? .warning : .normal, alignRight: true)
                bx += 5
                Gauge(fraction: Double(weight ?? 0) / 100, fillRole: weight != liveWeight ? .warning : .accent)
                    .render(into: &canvas, x: bx, y: y, width: barW, glyphs: context.glyphs)
                bx += barW + 2
                canvas.put(share.map { "\(Int(($0 * 100).rounded()))%" } ?? "-", x: bx, y: y, width: 4, role: .muted, alignRight: true)
                bx += 5
                Gauge(fraction: share ?? 0, fillRole: .ok).render(into: &canvas, x: bx, y: y, width: barW, glyphs: context.glyphs)
                bx += barW + 2
                let mark: String
                if drained {
                    mark = "DRAINED"
                } else if weight == nil {
                    mark = "fallback"
                } else {
                    mark = ""
                }
                canvas.put(
                    mark, x: bx, y: y, width: max(0, min(stateW, x + width - bx)),
                    role: drained ? .critical : .muted, ellipsis: context.glyphs.ellipsis)
                if isSelected { canvas.restyle(Rect(x: x + 2, y: y, width: nameW, height: 1), role: .selection) }
            case .rulesTitle:
                canvas.put("BUDGET RULES", x: x, y: y, role: .title)
            case .rule(let rule):
                let suspended = table.suspendedRules.contains(rule.name)
                let firing = active.contains(rule)
                let status = suspended ? "suspended" : (firing ? "ACTIVE" : "idle")
                let text =
                    "\(rule.name): at \(rule.atPercent)% of \(rule.category), \(rule.route) \(context.glyphs.isUnicode ? "→" : "->") \(rule.sendTo)"
                canvas.put(status, x: x, y: y, width: 9, role: firing ? .warning : .muted)
                canvas.put(DisplayWidth.truncate(text, to: width - 11, ellipsis: context.glyphs.ellipsis), x: x + 11, y: y, role: .normal)
            case .blank:
                break
            }
            y += 1
        }
    }

    /// Rules in force now, from this month's spend against each category's allocation.
    func activeRules(_ table: RouteTable) -> [BudgetRoutingRule] {
        guard let overview = state.cost.value?.overview else { return [] }
        var percent: [String: Decimal] = [:]
        for (category, position) in overview.categories where position.allocation > 0 {
            percent[category.rawValue] = position.spent * 100 / position.allocation
        }
        return BudgetRuleEvaluation.active(table.budgetRules, suspended: table.suspendedRules, percentSpent: percent)
    }
}
