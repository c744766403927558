/// How much colour the terminal shows, decided once at start-up.
public enum ColorMode: Sendable, Equatable {
    /// No colour at all (NO_COLOR, `--no-color`, or a terminal without colours):
    /// roles are told apart with bold, dim, reverse and underline only.
    case none
    /// The 8 basic ANSI colours.
    case ansi8
    /// The 256-colour palette (xterm-256color, tmux-256color).
    case ansi256
}
