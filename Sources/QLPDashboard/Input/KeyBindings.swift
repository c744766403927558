import QLPTerminal

/// What a key asks the dashboard to do.
public enum DashboardAction: Sendable, Equatable {
    case quit
    case toggleHelp
    case closeOverlay
    case refresh
    case redraw
    case writeWeeklyReport
    case show(DashboardView)
    case nextView
    case scroll(Int)
}

/// Keys are data: one table drives the key handling, the help bar and the `?`
/// screen, so they cannot disagree.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    /// How the key is written in hints ("q", "Ctrl-L").
    public var label: String
    public var summary: String
    public var action: DashboardAction
    /// Shown in the always-visible help bar (the rest only in `?`).
    public var inHelpBar: Bool
}

public enum KeyBindings {
    public static let all: [KeyBinding] = DashboardView.allCases.map { view in
        KeyBinding(keys: [.character(Character(String(view.rawValue)))], label: String(view.rawValue), summary: view.title.lowercased(),
                   action: .show(view), inHelpBar: false)
    } + [
        KeyBinding(keys: [.tab], label: "Tab", summary: "next view", action: .nextView, inHelpBar: false),
        KeyBinding(keys: [.down, .character("j")], label: "j/↓", summary: "scroll down", action: .scroll(1), inHelpBar: false),
        KeyBinding(keys: [.up, .character("k")], label: "k/↑", summary: "scroll up", action: .scroll(-1), inHelpBar: false),
        KeyBinding(keys: [.pageDown], label: "PgDn", summary: "scroll a page down", action: .scroll(10), inHelpBar: false),
        KeyBinding(keys: [.pageUp], label: "PgUp", summary: "scroll a page up", action: .scroll(-10), inHelpBar: false),
        KeyBinding(keys: [.character("q")], label: "q", summary: "quit", action: .quit, inHelpBar: true),
        KeyBinding(keys: [.character("?")], label: "?", summary: "help", action: .toggleHelp, inHelpBar: true),
        KeyBinding(keys: [.character("r")], label: "r", summary: "refresh now", action: .refresh, inHelpBar: true),
        KeyBinding(keys: [.character("w")], label: "w", summary: "weekly report", action: .writeWeeklyReport,
                   inHelpBar: true),
        KeyBinding(keys: [.control("l")], label: "Ctrl-L", summary: "redraw the screen", action: .redraw, inHelpBar: false),
        KeyBinding(keys: [.escape], label: "Esc", summary: "close this help", action: .closeOverlay, inHelpBar: false),
    ]

    public static func action(for key: Key) -> DashboardAction? {
        all.first { $0.keys.contains(key) }?.action
    }
}
