import Foundation
import QLPCanvas

/// The whole screen for one frame: header, the alert strip, the current view,
/// the help bar (or the command line) and any overlay. Pure: state and
/// interaction in, canvas out, so tests read it as text.
public struct DashboardScreen {
    /// Below this the layout cannot keep its promises, so it says so instead.
    public static let minimumSize = Size(width: 80, height: 24)

    public var state: DashboardState
    public var interaction: DashboardInteraction

    public init(state: DashboardState, interaction: DashboardInteraction) {
        self.state = state
        self.interaction = interaction
    }

    public init(state: DashboardState, view: DashboardView = .overview, showHelp: Bool = false, scroll: Int = 0) {
        var interaction = DashboardInteraction(readOnly: state.readOnly)
        interaction.view = view
        interaction.showHelp = showHelp
        interaction.scroll = scroll
        self.init(state: state, interaction: interaction)
    }

    public var view: DashboardView { interaction.view }

    public func render(size: Size, context: RenderContext) -> Canvas {
        var canvas = Canvas(size: size)
        canvas.asciiOnly = !context.glyphs.isUnicode
        guard size.width >= Self.minimumSize.width, size.height >= Self.minimumSize.height else {
            renderTooSmall(into: &canvas, context: context)
            return canvas
        }
        let i = interaction
        HeaderBar(identity: state.identity, viewName: "\(view.rawValue) \(view.title)").render(into: &canvas, row: 0, context: context)
        AlertStrip(alerts: i.alerts.unacknowledged).render(into: &canvas, row: HeaderBar.height, context: context)
        let top = HeaderBar.height + 1
        let body = Rect(x: 0, y: top, width: size.width, height: size.height - top - 1)
        switch view {
        case .overview: OverviewView(state: state).render(into: &canvas, area: body, context: context)
        case .budget: BudgetView(state: state).render(into: &canvas, area: body, context: context)
        case .models:
            ModelsView(state: state, sort: i.modelSort, filter: i.modelFilter, selected: i.selected(in: .models, state: state))
                .render(into: &canvas, area: body, context: context)
        case .routing:
            RoutingView(state: state, draft: i.draft, selected: i.selected(in: .routing, state: state)).render(
                into: &canvas, area: body, context: context)
        case .monitor: MonitorView(state: state, scroll: i.scroll).render(into: &canvas, area: body, context: context)
        case .alerts:
            AlertsView(
                book: i.alerts, selected: i.selected(in: .alerts, state: state), bellEnabled: i.bellEnabled,
                deliveries: state.notificationsConfigured ? state.alertDeliveries : nil
            )
            .render(into: &canvas, area: body, context: context)
        case .audit: AuditView(state: state, filter: i.auditFilter, scroll: i.scroll).render(into: &canvas, area: body, context: context)
        case .keys:
            KeysView(state: state, sort: i.keySort, filter: i.keyFilter, selected: i.selected(in: .keys, state: state))
                .render(into: &canvas, area: body, context: context)
        }
        bottomRow(into: &canvas, context: context)
        if let popup = i.popup {
            self.popup(popup).render(into: &canvas, area: body, glyphs: context.glyphs)
        }
        if i.showHelp {
            HelpOverlay(
                title: i.helpPage == .keys ? "Keys: \(view.title)" : "Columns: \(view.title)",
                bindings: KeyBindings.bindings(for: view, readOnly: i.readOnly),
                readOnly: i.readOnly, logFile: state.identity.logFile, configPath: state.identity.configPath,
                gateway: state.gatewayAddresses, page: i.helpPage, view: view
            )
            .render(into: &canvas, area: canvas.bounds, context: context)
        }
        return canvas
    }

    /// The command line or filter while typed, then any message, else the key hints.
    func bottomRow(into canvas: inout Canvas, context: RenderContext) {
        let row = canvas.size.height - 1
        let i = interaction
        if let line = i.commandLine {
            CommandLineBar(prompt: ":", text: line.text, hint: line.hint, hintRole: line.hintIsError ? .critical : .muted)
                .render(into: &canvas, row: row, glyphs: context.glyphs)
        } else if let line = i.filterLine {
            CommandLineBar(prompt: "/", text: line.text, hint: "Enter keep \(context.glyphs.separator) Esc clear")
                .render(into: &canvas, row: row, glyphs: context.glyphs)
        } else if let message = i.message {
            canvas.fill(Rect(x: 0, y: row, width: canvas.size.width, height: 1), role: .normal)
            canvas.put(
                DisplayWidth.truncate(message.text, to: canvas.size.width - 2, ellipsis: context.glyphs.ellipsis),
                x: 1, y: row, role: message.isError ? .critical : .accent)
        } else {
            helpBar(now: context.now).render(into: &canvas, row: row)
        }
    }

    /// The key hints, and a reminder when the data is the emulator's.
    func helpBar(now: Date) -> HelpBar {
        var trailing = state.identity.isDemo ? "demo data" : ""
        if interaction.readOnly { trailing = trailing.isEmpty ? "read-only" : "read-only \(trailing)" }
        return HelpBar(
            items: KeyBindings.helpBar(for: view, readOnly: interaction.readOnly).map {
                HelpBar.Item(key: $0.barLabel ?? $0.label, label: $0.barSummary ?? $0.summary)
            },
            trailing: trailing)
    }

    func popup(_ popup: DashboardInteraction.Popup) -> Popup {
        switch popup {
        case .confirmDraft:
            guard let draft = interaction.draft else { return Popup(title: "Apply", lines: [], question: "nothing staged: n") }
            let arrow = "->"
            let diff = draft.diff
            let routeW = diff.map { DisplayWidth.of($0.route) }.max() ?? 0
            let targetW = diff.map { DisplayWidth.of($0.target) }.max() ?? 0
            var lines = diff.map { line -> Popup.Line in
                let from = line.beforeDrained ? "drained" : line.beforeWeight.map { "\($0)" } ?? "-"
                let to = line.afterDrained ? "drained" : line.afterWeight.map { "\($0)" } ?? "-"
                let text =
                    DisplayWidth.pad(line.route, to: routeW) + "  " + DisplayWidth.pad(line.target, to: targetW) + "  "
                    + DisplayWidth.pad(from, to: 7, alignRight: true) + " \(arrow) " + to
                return Popup.Line(text, role: .accent)
            }
            lines.append(Popup.Line(""))
            lines += draft.summaries.map { Popup.Line($0, role: .muted) }
            lines.append(Popup.Line("as \(state.operatorName), on table v\(draft.base.version)", role: .muted))
            return Popup(title: "Apply route change", lines: lines, question: "Apply? y yes / n no")
        case .confirmQuit:
            let summaries = interaction.draft?.summaries ?? []
            let count = summaries.count
            return Popup(
                title: "Quit",
                lines: [Popup.Line("\(count) route change\(count == 1 ? "" : "s") staged and not applied:", role: .warning)]
                    + summaries.map { Popup.Line($0, role: .muted) },
                question: "Quit and lose \(count == 1 ? "it" : "them")? y yes / n no")
        case .confirmUndo(let version, let summary):
            return Popup(
                title: "Undo",
                lines: [Popup.Line("undo: \(summary)"), Popup.Line("as \(state.operatorName), on table v\(version)", role: .muted)],
                question: "Undo it? y yes / n no")
        }
    }

    private func renderTooSmall(into canvas: inout Canvas, context: RenderContext) {
        let size = canvas.size
        let lines = [
            "Terminal too small: \(size.width)x\(size.height)",
            "qlp needs at least \(Self.minimumSize.width)x\(Self.minimumSize.height).",
            "Enlarge the window, or press q to quit.",
        ]
        let top = max(0, (size.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let text = DisplayWidth.truncate(line, to: size.width, ellipsis: context.glyphs.ellipsis)
            canvas.put(text, x: max(0, (size.width - DisplayWidth.of(text)) / 2), y: top + i, role: i == 0 ? .warning : .normal)
        }
    }
}
