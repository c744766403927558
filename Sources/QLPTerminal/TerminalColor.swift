/// A terminal colour as themes name it.
public enum TerminalColor: Sendable, Equatable {
    /// The terminal's own foreground or background (so a dark or light
    /// terminal keeps its background).
    case `default`
    /// One of the 16 ANSI colours, 0-15 (0 black, 1 red, 2 green, 3 yellow,
    /// 4 blue, 5 magenta, 6 cyan, 7 white, 8-15 their bright forms).
    case ansi(UInt8)
    /// An entry of the xterm 256-colour palette.
    case indexed(UInt8)
    /// A 24-bit colour (`#rrggbb` in a theme file). Shown as is on a direct
    /// (true) colour terminal, else as the nearest palette entry.
    case rgb(UInt8, UInt8, UInt8)
}

extension TerminalColor {
    /// The nearest xterm 256-palette entry for a 24-bit colour: the nearer of
    /// the 6x6x6 cube and the 24-step grey ramp.
    static func nearestIndexed(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func cubeStep(_ v: UInt8) -> Int { v < 48 ? 0 : v < 115 ? 1 : (Int(v) - 35) / 40 }
        let (cr, cg, cb) = (cubeStep(r), cubeStep(g), cubeStep(b))
        let cube = (cubeLevels[cr], cubeLevels[cg], cubeLevels[cb])
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyStep = average > 238 ? 23 : max(0, (average - 3) / 10)
        let grey = 8 + 10 * greyStep
        func distance(_ c: (Int, Int, Int)) -> Int {
            let dr = c.0 - Int(r)
            let dg = c.1 - Int(g)
            let db = c.2 - Int(b)
            return dr * dr + dg * dg + db * db
        }
        return distance((grey, grey, grey)) < distance(cube)
            ? UInt8(232 + greyStep) : UInt8(16 + 36 * cr + 6 * cg + cb)
    }

    /// The 24-bit value of a palette entry (xterm's defaults), for direct-colour terminals.
    static func rgbValue(ofIndexed n: UInt8) -> (UInt8, UInt8, UInt8) {
        switch n {
        case 0..<16:
            let basic: [(UInt8, UInt8, UInt8)] = [
                (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
                (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
            ]
            return basic[Int(n)]
        case 232...:
            let level = UInt8(8 + 10 * Int(n - 232))
            return (level, level, level)
        default:
            let cube = Int(n) - 16
            return (UInt8(cubeLevels[cube / 36]), UInt8(cubeLevels[cube / 6 % 6]), UInt8(cubeLevels[cube % 6]))
        }
    }
}

extension TerminalColor {
    /// The colour reduced to the 8 basic ones, for terminals with fewer than
    /// 256 colours. `dimmed` is true when the colour was a grey that only
    /// reads as "secondary" if the text is also dimmed (white alone would make
    /// muted text look like normal text).
    func reducedToAnsi8(asForeground: Bool) -> (color: TerminalColor, dimmed: Bool) {
        switch self {
        case .default:
            return (.default, false)
        case .rgb(let r, let g, let b):
            return TerminalColor.indexed(Self.nearestIndexed(r, g, b)).reducedToAnsi8(asForeground: asForeground)
        case .ansi(let n):
            return Self.reduceAnsi16(n & 15, asForeground: asForeground)
        case .indexed(let n) where n < 16:
            return Self.reduceAnsi16(n, asForeground: asForeground)
        case .indexed(let n) where n >= 232:
            return Self.reduceGrey(level: 8 + 10 * Int(n - 232), asForeground: asForeground)
        case .indexed(let n):
            let cube = Int(n) - 16
            let (r, g, b) = (cube / 36, cube / 6 % 6, cube % 6)
            if r == g, g == b {
                return Self.reduceGrey(level: Self.cubeLevels[r], asForeground: asForeground)
            }
            // Keep each channel that is at least half as strong as the strongest:
            // orange (5,3,0) reads as yellow, deep blue (0,1,3) as blue.
            let strongest = max(r, g, b)
            let bit = { (channel: Int, value: UInt8) -> UInt8 in channel * 2 >= strongest ? value : 0 }
            return (.ansi(bit(r, 1) | bit(g, 2) | bit(b, 4)), false)
        }
    }

    fileprivate static let cubeLevels = [0, 95, 135, 175, 215, 255]

    private static func reduceAnsi16(_ n: UInt8, asForeground: Bool) -> (color: TerminalColor, dimmed: Bool) {
        if n < 8 { return (.ansi(n), false) }
        // Bright black is grey: as text it means "secondary".
        if n == 8 { return asForeground ? (.ansi(7), true) : (.ansi(0), false) }
        return (.ansi(n - 8), false)
    }

    /// `level` is the grey's brightness, 0-255.
    private static func reduceGrey(level: Int, asForeground: Bool) -> (color: TerminalColor, dimmed: Bool) {
        // Black stays black (text on a badge); light greys become white.
        if level < 48 { return (.ansi(0), false) }
        if level >= 160 { return (.ansi(7), false) }
        // Mid-grey text must stay readable on a dark terminal: white, dimmed so
        // it still reads as secondary. As a background it is closer to black.
        return asForeground ? (.ansi(7), true) : (.ansi(level < 128 ? 0 : 7), false)
    }
}
