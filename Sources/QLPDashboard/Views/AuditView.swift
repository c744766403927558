import Foundation
import QLPCanvas

/// The route audit log, newest first: who changed what, and how it went.
public struct AuditView {
    public var state: DashboardState
    public var filter: String
    public var scroll: Int

    public init(state: DashboardState, filter: String = "", scroll: Int = 0) {
        self.state = state
        self.filter = filter
        self.scroll = scroll
    }

    public static func lines(_ all: [RouteAuditLine], filter: String) -> [RouteAuditLine] {
        let needle = filter.lowercased()
        guard !needle.isEmpty else { return all }
        return all.filter { "\($0.actor) \($0.summary) \($0.outcome.text)".lowercased().contains(needle) }
    }

    /// The WHO column never grows beyond this: a name is told apart well before it.
    static let widestActor = 24

    /// The columns for `lines` in `width` cells: WHO as wide as the longest
    /// name shown (between its title and `widestActor`), narrowing only where
    /// the other columns would not fit beside it, down to the 10 cells it
    /// always had; a name longer than that ends in an ellipsis.
    static func columns(for lines: [RouteAuditLine], width: Int) -> [DataTable.Column] {
        var columns: [DataTable.Column] = [
            .init("TIME", width: 8, priority: 90),
            .init("WHO", width: 10, priority: 80),
            .init("CHANGE", width: 30, priority: 100, flexible: true),
            .init("OUTCOME", width: 9, priority: 70),
            .init("VERSION", width: 7, alignRight: true, priority: 40),
        ]
        let others = columns.indices.filter { $0 != 1 }.map { columns[$0].width + 2 }.reduce(0, +)
        let longest = lines.map { DisplayWidth.of($0.actor) }.max() ?? 0
        let fitting = max(10, width - others)
        columns[1].width = max(DisplayWidth.of("WHO"), min(longest, widestActor, fitting))
        return columns
    }

    /// Refusals stand out; the gateway's own changes (a budget rule) read as
    /// ordinary lines, not as failures.
    static func role(of outcome: RouteAuditLine.Outcome) -> StyleRole {
        switch outcome {
        case .applied, .undo: .ok
        case .automatic: .normal
        case .rejected: .critical
        }
    }

    public func render(into canvas: inout Canvas, area: Rect, context: RenderContext) {
        let x = area.x + 1
        let width = area.width - 2
        var y = area.y
        let panel = state.routing
        canvas.put("ROUTE AUDIT", x: x, y: y, role: .title)
        var status: String
        if !state.routeControlConnected {
            status = "not connected: this dashboard has no gateway route control"
        } else if let problem = panel.problem, panel.value == nil {
            status = "unavailable: \(problem.summary)"
        } else if panel.value == nil {
            status = "fetching\(context.glyphs.ellipsis)"
        } else {
            status = "newest first"
        }
        if !filter.isEmpty { status += " \(context.glyphs.separator) filter: \(filter)" }
        canvas.put(DisplayWidth.truncate(status, to: width - 13, ellipsis: context.glyphs.ellipsis), x: x + 13, y: y, role: .muted)
        y += 2
        guard let audit = panel.value?.audit else { return }
        let lines = Self.lines(audit, filter: filter)
        if let reason = panel.value?.auditUnavailable {
            let shown = audit.isEmpty ? "" : " (the lines below are as last read)"
            canvas.put("cannot read the audit log: \(reason)\(shown)", x: x, y: y, role: .warning, maxWidth: width)
            y += 1
            // Nothing read is not "no route changes yet".
            if audit.isEmpty { return }
        }
        if lines.isEmpty {
            canvas.put(filter.isEmpty ? "no route changes yet" : "no change matches '\(filter)'", x: x, y: y, role: .muted, maxWidth: width)
            return
        }
        let arrow = context.glyphs.isUnicode ? "→" : ">"
        let rows: [[DataTable.Content]] = lines.map { line in
            [
                .text(context.format.time(line.at), .muted),
                .text(line.actor, .accent),
                .text(line.summary, .normal),
                .text(line.outcome.text, Self.role(of: line.outcome)),
                .text("\(line.fromVersion)\(arrow)\(line.toVersion)", .muted),
            ]
        }
        let room = area.maxY - y
        let offset = max(0, min(scroll, rows.count - (room - 1)))
        DataTable(columns: Self.columns(for: lines, width: width), rows: rows, offset: offset)
            .render(into: &canvas, rect: Rect(x: x, y: y, width: width, height: room), glyphs: context.glyphs)
    }
}
