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
    case previousView
    /// Opens the `:` command line.
    case openCommandLine
    case scroll(Int)
    /// Moves the highlighted row (a route's target, an alert, a table row).
    case select(Int)
    /// Opens the `/` filter of a table.
    case openFilter
    /// Models, Keys: the next sort column.
    case cycleSort
    /// Alerts.
    case acknowledge
    case acknowledgeAll
    /// Routing: staged into the draft.
    case shiftWeight(Int)
    case toggleDrain
    case moveFallbackEarlier
    case cyclePolicy
    /// Routing: the draft's diff, asking to apply it.
    case reviewDraft
    case discardDraft
    /// Routing: undo the last applied change (asks first).
    case undoLastChange
}

/// Keys are data: one table per view drives the key handling, the help bar and
/// the `?` screen, so they cannot disagree.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    /// How the key is written in hints ("q", "Ctrl-L").
    public var label: String
    public var summary: String
    public var action: DashboardAction
    /// Shown in the always-visible help bar (the rest only in `?`).
    public var inHelpBar: Bool
    /// Changes routes: hidden and refused in read-only mode.
    public var changesRoutes: Bool
    /// A shorter key and summary for the help bar ("+/-", "weight"), where room is scarce.
    public var barLabel: String?
    public var barSummary: String?

    public init(
        keys: [Key], label: String, summary: String, action: DashboardAction, inHelpBar: Bool = false,
        changesRoutes: Bool = false, barLabel: String? = nil, barSummary: String? = nil
    ) {
        self.barLabel = barLabel
        self.barSummary = barSummary
        self.keys = keys
        self.label = label
        self.summary = summary
        self.action = action
        self.inHelpBar = inHelpBar
        self.changesRoutes = changesRoutes
    }
}

public enum KeyBindings {
    /// What read-only mode answers to a key or command that would change routes.
    public static let readOnlyExplanation = "read-only mode: route changes are off (--read-only / dashboard.read_only)"

    /// Keys of every view. The help bar shows these first, then the view's own.
    public static let global: [KeyBinding] =
        [
            KeyBinding(keys: [.character("q")], label: "q", summary: "quit", action: .quit, inHelpBar: true),
            KeyBinding(keys: [.character("?")], label: "?", summary: "help", action: .toggleHelp, inHelpBar: true),
            KeyBinding(
                keys: [.character(":")], label: ":", summary: "commands (Tab completes)",
                action: .openCommandLine, inHelpBar: true, barSummary: "command"),
        ]
        + DashboardView.allCases.map { view in
            KeyBinding(
                keys: [.character(Character(String(view.rawValue)))], label: String(view.rawValue),
                summary: view.title.lowercased(), action: .show(view))
        } + [
            KeyBinding(keys: [.tab], label: "Tab", summary: "next view", action: .nextView),
            KeyBinding(keys: [.backTab], label: "Shift-Tab", summary: "previous view", action: .previousView),
            KeyBinding(keys: [.character("r")], label: "r", summary: "refresh now", action: .refresh),
            KeyBinding(keys: [.character("w")], label: "w", summary: "weekly report", action: .writeWeeklyReport),
            KeyBinding(keys: [.control("l")], label: "Ctrl-L", summary: "redraw the screen", action: .redraw),
            KeyBinding(keys: [.escape], label: "Esc", summary: "close help or popup", action: .closeOverlay),
        ]

    static let scrolling: [KeyBinding] = [
        KeyBinding(keys: [.down, .character("j")], label: "j/↓", summary: "scroll down", action: .scroll(1)),
        KeyBinding(keys: [.up, .character("k")], label: "k/↑", summary: "scroll up", action: .scroll(-1)),
        KeyBinding(keys: [.pageDown], label: "PgDn", summary: "scroll a page down", action: .scroll(10)),
        KeyBinding(keys: [.pageUp], label: "PgUp", summary: "scroll a page up", action: .scroll(-10)),
    ]

    static let selecting: [KeyBinding] = [
        KeyBinding(keys: [.down, .character("j")], label: "j/↓", summary: "next row", action: .select(1)),
        KeyBinding(keys: [.up, .character("k")], label: "k/↑", summary: "previous row", action: .select(-1)),
        KeyBinding(keys: [.pageDown], label: "PgDn", summary: "a page down", action: .select(10)),
        KeyBinding(keys: [.pageUp], label: "PgUp", summary: "a page up", action: .select(-10)),
    ]

    static let filtering = KeyBinding(keys: [.character("/")], label: "/", summary: "filter", action: .openFilter, inHelpBar: true)

    /// The view's own keys, before the global ones (so a view may take a key
    /// such as Esc for itself).
    public static func own(_ view: DashboardView) -> [KeyBinding] {
        switch view {
        case .overview, .budget:
            return []
        case .monitor:
            return scrolling
        case .models, .keys:
            return [
                KeyBinding(
                    keys: [.character("s")], label: "s", summary: "sort by next column", action: .cycleSort, inHelpBar: true,
                    barSummary: "sort"),
                filtering,
            ] + selecting
        case .routing:
            return [
                KeyBinding(keys: [.down, .character("j")], label: "j/↓", summary: "next target", action: .select(1)),
                KeyBinding(keys: [.up, .character("k")], label: "k/↑", summary: "previous target", action: .select(-1)),
                KeyBinding(
                    keys: [.character("+"), .character("=")], label: "+", summary: "weight +5 (rebalances)",
                    action: .shiftWeight(5), inHelpBar: true, changesRoutes: true, barLabel: "+/-", barSummary: "weight"),
                KeyBinding(
                    keys: [.character("-")], label: "-", summary: "weight -5 (rebalances)",
                    action: .shiftWeight(-5), changesRoutes: true),
                KeyBinding(
                    keys: [.character("d")], label: "d", summary: "drain / undrain target", action: .toggleDrain,
                    inHelpBar: true, changesRoutes: true, barSummary: "drain"),
                // A target outside the chain joins it last (the message and the Columns help page say so): the only way to add one here.
                KeyBinding(
                    keys: [.character("f")], label: "f", summary: "earlier in fallback chain",
                    action: .moveFallbackEarlier, changesRoutes: true),
                KeyBinding(keys: [.character("p")], label: "p", summary: "next policy", action: .cyclePolicy, changesRoutes: true),
                KeyBinding(
                    keys: [.enter], label: "Enter", summary: "review draft and apply", action: .reviewDraft,
                    inHelpBar: true, changesRoutes: true, barSummary: "apply"),
                KeyBinding(
                    keys: [.character("u")], label: "u", summary: "undo last applied change", action: .undoLastChange,
                    inHelpBar: true, changesRoutes: true, barSummary: "undo"),
                KeyBinding(keys: [.escape], label: "Esc", summary: "discard draft", action: .discardDraft, changesRoutes: true),
            ]
        case .alerts:
            return [
                KeyBinding(
                    keys: [.character("a")], label: "a", summary: "acknowledge alert", action: .acknowledge, inHelpBar: true,
                    barSummary: "ack"),
                KeyBinding(
                    keys: [.character("A")], label: "A", summary: "acknowledge all", action: .acknowledgeAll, inHelpBar: true,
                    barSummary: "ack all"),
            ]
                + selecting
        case .audit:
            return [filtering] + scrolling
        }
    }

    /// Every key of a view, its own first; in read-only mode without the keys
    /// that change routes.
    public static func bindings(for view: DashboardView, readOnly: Bool = false) -> [KeyBinding] {
        (own(view) + global).filter { !(readOnly && $0.changesRoutes) }
    }

    /// The binding a key means in a view. In read-only mode a route-changing
    /// key still matches (so the dashboard can say why it does nothing).
    public static func binding(for key: Key, in view: DashboardView) -> KeyBinding? {
        (own(view) + global).first { $0.keys.contains(key) }
    }

    /// What to say when `key` does nothing in `view`: the views where it
    /// works, or, for a letter bound nowhere, where the keys are listed.
    public static func elsewhere(_ key: Key, notIn view: DashboardView) -> String? {
        let name: String
        switch key {
        case .character(let c): name = String(c)
        case .enter: name = "Enter"
        default: return nil
        }
        let places = DashboardView.allCases.filter { $0 != view }.compactMap { other in
            own(other).first { $0.keys.contains(key) }.map { (view: other, binding: $0) }
        }
        guard let first = places.first else {
            guard case .character = key else { return nil }
            return "\(name) does nothing in \(view.title): ? lists its keys"
        }
        let views = places.map { "\($0.view.title) (\($0.view.rawValue))" }.joined(separator: ", ")
        return "\(name) works in \(views), not in \(view.title): \(first.binding.summary)"
    }

    /// The help bar: the global keys first, then the view's main keys.
    public static func helpBar(for view: DashboardView, readOnly: Bool) -> [KeyBinding] {
        let mine = own(view).filter { $0.inHelpBar && !(readOnly && $0.changesRoutes) }
        return global.filter(\.inHelpBar) + mine
    }
}
