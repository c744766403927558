import CNcursesw
import QLPCanvas

extension CursesTerminal {
    /// Switches to another theme; the next `present` repaints everything.
    public func setTheme(_ theme: Theme) {
        guard !isStopped else { return }
        applyTheme(theme)
        invalidate()
    }

    /// Computes each role's attributes and, with colours, sets up one colour
    /// pair per role (pair number = raw value + 1; pair 0 is the terminal's).
    func applyTheme(_ theme: Theme) {
        let count = Self.roleCount
        var looks = [RoleLook](
            repeating: RoleLook(attributes: qlp_attr_normal(), pair: 0, solid: .glyph, hasPlainBlank: true),
            count: count)
        // Pairs for solid cells follow the role pairs; without room for them
        // solid cells fall back to reverse video.
        let solidPairsFit = Int(qlp_color_pairs()) > 2 * count
        for role in StyleRole.allCases {
            let index = Int(role.rawValue)
            let style = theme.style(for: role, mode: colorMode)
            let attributes = Self.cursesAttributes(of: style)
            var pair: Int32 = 0
            if colorMode != .none {
                let foreground = cursesColor(style.foreground, isForeground: true)
                let background = cursesColor(style.background, isForeground: false)
                if init_extended_pair(Int32(index + 1), foreground, background) == OK { pair = Int32(index + 1) }
            }
            looks[index] = RoleLook(
                attributes: attributes, pair: pair,
                solid: solidCell(for: style, role: index, attributes: attributes, pair: pair, pairsFit: solidPairsFit),
                hasPlainBlank: style.background == .default && !style.reverse && !style.underline)
        }
        roleLooks = looks
    }

    /// A blank painted in the role's foreground colour (both colours of its
    /// pair the same), or a reverse-video blank where the colour cannot be a
    /// background: the terminal's default foreground, no colours at all, or no
    /// pairs left.
    private func solidCell(
        for style: TerminalStyle, role index: Int, attributes: attr_t, pair: Int32,
        pairsFit: Bool
    ) -> SolidCell {
        // Reverse video of a reversed style would undo it: keep the glyph.
        if style.reverse { return .glyph }
        // Underline would show on a blank, and blocks the terminal's erase.
        let blankAttributes = attributes & ~qlp_attr_underline()
        if colorMode != .none, pairsFit, style.foreground != .default {
            let solidPair = Int32(Self.roleCount + index + 1)
            let color = cursesColor(style.foreground, isForeground: true)
            if init_extended_pair(solidPair, color, color) == OK {
                return .coloured(attributes: blankAttributes, pair: solidPair)
            }
        }
        return .reversed(attributes: blankAttributes | qlp_attr_reverse(), pair: pair)
    }

    static func cursesAttributes(of style: TerminalStyle) -> attr_t {
        var attributes = qlp_attr_normal()
        if style.bold { attributes |= qlp_attr_bold() }
        if style.dim { attributes |= qlp_attr_dim() }
        if style.reverse { attributes |= qlp_attr_reverse() }
        if style.underline { attributes |= qlp_attr_underline() }
        return attributes
    }

    /// The curses colour number; -1 is the terminal's default colour.
    func cursesColor(_ color: TerminalColor, isForeground: Bool) -> Int32 {
        switch color {
        case .default:
            if hasDefaultColors { return -1 }
            return isForeground ? Int32(COLOR_WHITE) : Int32(COLOR_BLACK)
        case .ansi(let n) where colorMode == .direct:
            // Direct-colour terminals take 0-7 as the basic colours, anything else as RGB.
            return n < 8 ? Int32(n) : Self.directValue(TerminalColor.rgbValue(ofIndexed: n & 15))
        case .ansi(let n):
            return Int32(colorMode == .ansi256 ? n & 15 : n & 7)
        case .indexed(let n) where colorMode == .direct:
            return n < 8 ? Int32(n) : Self.directValue(TerminalColor.rgbValue(ofIndexed: n))
        case .indexed(let n):
            return Int32(n)
        case .rgb(let r, let g, let b) where colorMode == .direct:
            return Self.directValue((r, g, b))
        case .rgb(let r, let g, let b):
            // Theme.style has reduced it already; this is only a safe fallback.
            return Int32(TerminalColor.nearestIndexed(r, g, b))
        }
    }

    static func directValue(_ c: (UInt8, UInt8, UInt8)) -> Int32 {
        Int32(c.0) << 16 | Int32(c.1) << 8 | Int32(c.2)
    }
}
