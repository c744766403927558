import Foundation
import QLPCanvas

/// The whole screen for one frame: header, the current view, the help bar
/// and any overlay. Pure: state in, canvas out, so tests read it as text.
public struct DashboardScreen {
    /// Below this the layout cannot keep its promises, so it says so instead.
    public static let minimumSize = Size(width: 80, height: 24)

    public var state: DashboardState
    public var view: DashboardView
    public var showHelp: Bool
    /// Rows scrolled in views that scroll.
    public var scroll: Int

    public init(state: DashboardState, view: DashboardView = .overview, showHelp: Bool = false, scroll: Int = 0) {
        self.state = state
        self.view = view
        self.showHelp = showHelp
        self.scroll = scroll
    }

    public func render(size: Size, context: RenderContext) -> Canvas {
        var canvas = Canvas(size: size)
        guard size.width >= Self.minimumSize.width, size.height >= Self.minimumSize.height else {
            renderTooSmall(into: &canvas, context: context)
            return canvas
        }
        HeaderBar(identity: state.identity, viewName: view.title).render(into: &canvas, row: 0, context: context)
        let top = HeaderBar.height + 1
        let body = Rect(x: 0, y: top, width: size.width, height: size.height - top - 1)
        switch view {
        case .overview: OverviewView(state: state).render(into: &canvas, area: body, context: context)
        case .budget: BudgetView(state: state).render(into: &canvas, area: body, context: context)
        case .monitor: MonitorView(state: state, scroll: scroll).render(into: &canvas, area: body, context: context)
        }
        helpBar(now: context.now).render(into: &canvas, row: size.height - 1)
        if showHelp {
            HelpOverlay(bindings: KeyBindings.all, logFile: state.identity.logFile, configPath: state.identity.configPath)
                .render(into: &canvas, area: canvas.bounds, context: context)
        }
        return canvas
    }

    /// The key hints, and a reminder when the data is the emulator's.
    func helpBar(now: Date) -> HelpBar {
        HelpBar(items: KeyBindings.all.filter(\.inHelpBar).map { HelpBar.Item(key: $0.label, label: $0.summary) },
                trailing: state.identity.isDemo ? "demo data" : "")
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
