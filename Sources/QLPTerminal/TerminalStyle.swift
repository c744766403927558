/// How one `StyleRole` looks on the terminal: colours and attributes.
public struct TerminalStyle: Sendable, Equatable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(
        foreground: TerminalColor = .default, background: TerminalColor = .default,
        bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    /// The terminal's default colours, no attributes.
    public static let plain = TerminalStyle()

    /// The same style with colours dropped: what it looks like under NO_COLOR.
    public var attributesOnly: TerminalStyle {
        TerminalStyle(bold: bold, dim: dim, reverse: reverse, underline: underline)
    }

    /// The same style on a 256-colour terminal: 24-bit colours become their
    /// nearest palette entry.
    public var reducedToPalette: TerminalStyle {
        var style = self
        if case .rgb(let r, let g, let b) = foreground { style.foreground = .indexed(TerminalColor.nearestIndexed(r, g, b)) }
        if case .rgb(let r, let g, let b) = background { style.background = .indexed(TerminalColor.nearestIndexed(r, g, b)) }
        return style
    }

    /// The same style on a terminal with only the 8 basic colours.
    public var reducedToAnsi8: TerminalStyle {
        let fg = foreground.reducedToAnsi8(asForeground: true)
        let bg = background.reducedToAnsi8(asForeground: false)
        var style = self
        style.foreground = fg.color
        style.background = bg.color
        style.dim = dim || fg.dimmed
        return style
    }
}
