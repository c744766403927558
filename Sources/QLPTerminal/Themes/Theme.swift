import QLPCanvas

/// Maps each `StyleRole` to how it looks. Views only name roles, so a theme
/// (or NO_COLOR) changes every screen without touching view code.
///
/// A theme has two tables: `colored` for terminals with colours (written for
/// the 256-colour palette and reduced automatically for 8-colour terminals)
/// and `monochrome`, attributes only, used under `ColorMode.none`.
public struct Theme: Sendable {
    public var name: String
    public var colored: [StyleRole: TerminalStyle]
    public var monochrome: [StyleRole: TerminalStyle]

    /// Roles missing from a table are drawn plain.
    public init(name: String, colored: [StyleRole: TerminalStyle], monochrome: [StyleRole: TerminalStyle]) {
        self.name = name
        self.colored = colored
        self.monochrome = monochrome
    }

    /// The style for a role under a colour mode.
    public func style(for role: StyleRole, mode: ColorMode) -> TerminalStyle {
        switch mode {
        case .none:
            // Colours are dropped even if a monochrome entry names one.
            return (monochrome[role] ?? .plain).attributesOnly
        case .ansi8:
            return (colored[role] ?? .plain).reducedToAnsi8
        case .ansi256:
            return (colored[role] ?? .plain).reducedToPalette
        case .direct:
            return colored[role] ?? .plain
        }
    }
}
