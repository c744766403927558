/// How `CursesTerminal` sets the terminal up.
public struct TerminalOptions: Sendable {
    /// False for NO_COLOR or `--no-color`: the caller reads those, the terminal
    /// only honours the result.
    public var colorsAllowed: Bool
    public var theme: Theme
    /// The themes the dashboard may switch to while running (`:theme NAME`).
    public var themes: ThemeCatalog
    /// How long ncurses waits after Esc for the rest of an escape sequence.
    /// Short, so Esc closes a popup at once; 25 ms is ample even over SSH,
    /// because a terminal sends a whole sequence in one write.
    public var escapeDelayMilliseconds: Int
    /// Draw bars with their block glyphs rather than as coloured blanks
    /// (`SolidCell`): more bytes, but copied screen text keeps the bars.
    public var blockGlyphs: Bool

    public init(
        colorsAllowed: Bool = true, theme: Theme = .defaultDark, themes: ThemeCatalog = .builtin,
        escapeDelayMilliseconds: Int = 25, blockGlyphs: Bool = false
    ) {
        self.colorsAllowed = colorsAllowed
        self.theme = theme
        self.themes = themes
        self.escapeDelayMilliseconds = escapeDelayMilliseconds
        self.blockGlyphs = blockGlyphs
    }
}
