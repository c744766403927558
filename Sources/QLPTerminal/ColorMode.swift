/// How much colour the terminal shows, decided once at start-up.
public enum ColorMode: Sendable, Equatable {
    /// No colour at all (NO_COLOR, `--no-color`, or a terminal without colours):
    /// roles are told apart with bold, dim, reverse and underline only.
    case none
    /// The 8 basic ANSI colours.
    case ansi8
    /// The 256-colour palette (xterm-256color, tmux-256color).
    case ansi256
    /// 24-bit colour: the terminal description says so (ncurses's direct
    /// colour, `COLORS` of 2^24, as with TERM=xterm-direct).
    case direct

    /// The mode for a terminal whose description reports `colors` colours.
    ///
    /// COLORTERM=truecolor alone cannot raise the mode: ncurses only emits
    /// what the terminal description (TERM) can express, so a 256-colour TERM
    /// gets `#rrggbb` as the nearest palette entry. Use TERM=xterm-direct (or
    /// another *-direct entry) for 24-bit colour.
    public static func forTerminal(colors: Int) -> ColorMode {
        if colors >= 1 << 24 { return .direct }
        if colors >= 256 { return .ansi256 }
        if colors >= 8 { return .ansi8 }
        return .none
    }
}
