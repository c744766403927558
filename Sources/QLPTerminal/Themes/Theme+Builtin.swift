import QLPCanvas

extension Theme {
    /// Attributes only, for NO_COLOR and monochrome terminals. Every role that
    /// carries meaning differs from normal text by at least one attribute.
    static let attributeStyles: [StyleRole: TerminalStyle] = [
        .normal: .plain,
        .muted: TerminalStyle(dim: true),
        .title: TerminalStyle(bold: true),
        .header: TerminalStyle(reverse: true),
        // Underline as well as reverse+bold so the badge still stands out
        // inside the (reverse) header bar.
        .demo: TerminalStyle(bold: true, reverse: true, underline: true),
        .accent: TerminalStyle(bold: true),
        .ok: .plain,
        .warning: TerminalStyle(bold: true),
        .critical: TerminalStyle(bold: true, reverse: true),
        .stale: TerminalStyle(underline: true),
        .gaugeEmpty: TerminalStyle(dim: true),
        .gaugeMarker: TerminalStyle(bold: true),
        .border: .plain,
        .helpKey: TerminalStyle(bold: true),
        .helpText: .plain,
        .selection: TerminalStyle(reverse: true),
    ]

    /// Readable on a dark terminal; keeps the terminal's own background.
    /// Colours are 256-palette entries chosen so that the 8-colour reduction
    /// lands on the intended basic colour (orange on yellow, deep blue on blue).
    public static let defaultDark = Theme(
        name: "default-dark",
        colored: [
            .normal: .plain,
            .muted: TerminalStyle(foreground: .indexed(245)),
            .title: TerminalStyle(foreground: .indexed(117), bold: true),
            .header: TerminalStyle(foreground: .indexed(255), background: .indexed(25), bold: true),
            .demo: TerminalStyle(foreground: .indexed(16), background: .indexed(226), bold: true),
            .accent: TerminalStyle(foreground: .indexed(75)),
            .ok: TerminalStyle(foreground: .indexed(76)),
            .warning: TerminalStyle(foreground: .indexed(214), bold: true),
            .critical: TerminalStyle(foreground: .indexed(196), bold: true),
            .stale: TerminalStyle(foreground: .indexed(170)),
            .gaugeEmpty: TerminalStyle(foreground: .indexed(240)),
            .gaugeMarker: TerminalStyle(foreground: .indexed(252), bold: true),
            .border: TerminalStyle(foreground: .indexed(240)),
            .helpKey: TerminalStyle(foreground: .indexed(81), bold: true),
            .helpText: TerminalStyle(foreground: .indexed(250)),
            .selection: TerminalStyle(reverse: true),
        ],
        monochrome: attributeStyles)

    /// Attributes only, whatever the terminal can do.
    public static let mono = Theme(name: "mono", colored: attributeStyles, monochrome: attributeStyles)
}
