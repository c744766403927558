/// How many terminal cells text occupies.
///
/// Layout must count cells, not characters: "£" is one cell, "日" two, a
/// combining accent none. This is a self-contained table (East Asian Wide and
/// Fullwidth ranges, emoji presentation, zero-width marks) so that layout is
/// pure and does not depend on the process locale the way wcwidth(3) does.
public enum DisplayWidth {
    /// Cells taken by one grapheme: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        var width = 0
        for scalar in character.unicodeScalars {
            if scalar.value == 0xFE0F { return 2 }  // emoji presentation selector
            let w = of(scalar)
            if width == 0 { width = w }
        }
        return width
    }

    /// Cells taken by a string, as the canvas shows it: text from outside is
    /// measured after `TerminalSafeText.sanitize`, since its escape sequences
    /// take no cells and its controls one each (`?`). Measured raw, a hostile
    /// name would be laid out and cut by the width of what is never shown.
    public static func of(_ text: some StringProtocol) -> Int {
        if text.unicodeScalars.contains(where: TerminalSafeText.isUnsafe) { return cells(TerminalSafeText.sanitize(text)) }
        return cells(text)
    }

    private static func cells(_ text: some StringProtocol) -> Int {
        var total = 0
        for c in text { total += of(c) }
        return total
    }

    static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B { return 0 }
        if isWide(v) { return 2 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
        0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    private static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        for range in wideRanges where range.contains(v) { return true }
        return false
    }

    /// The longest prefix of `text` that fits in `width` cells; when text had
    /// to be cut, the last cell is `ellipsis` so a reader knows it was cut.
    /// Text from outside is made inert first: cut raw, an escape sequence
    /// could lose its end and take the rest of the text (and the ellipsis) with it.
    public static func truncate(_ text: String, to width: Int, ellipsis: Character = "…") -> String {
        guard width > 0 else { return "" }
        let text = TerminalSafeText.sanitize(text)
        if of(text) <= width { return text }
        let budget = width - of(ellipsis)
        var out = ""
        var used = 0
        for c in text {
            let w = of(c)
            if used + w > budget { break }
            out.append(c)
            used += w
        }
        out.append(ellipsis)
        return out
    }

    /// `text` padded with spaces (left or right) to exactly `width` cells,
    /// truncated with an ellipsis when longer.
    public static func pad(_ text: String, to width: Int, alignRight: Bool = false, ellipsis: Character = "…") -> String {
        let cut = truncate(text, to: width, ellipsis: ellipsis)
        let gap = max(0, width - of(cut))
        let fill = String(repeating: " ", count: gap)
        return alignRight ? fill + cut : cut + fill
    }

    /// Splits text into lines of at most `width` cells, breaking at spaces
    /// where it can and inside a word only when one word is wider than a line.
    /// `splittingLongWords: false` keeps a word longer than `width` (a URL, a
    /// path, a command to copy) whole on a line of its own, past the width.
    public static func wrap(_ text: String, to width: Int, splittingLongWords: Bool = true) -> [String] {
        guard width > 0 else { return [] }
        // Inert first, so that no sequence is split across lines.
        let text = TerminalSafeText.sanitize(text)
        var lines: [String] = []
        var line = ""
        var used = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var rest = Substring(word)
            let w = of(rest)
            if used > 0, used + 1 + w <= width {
                line += " " + rest
                used += 1 + w
                continue
            }
            if used > 0 {
                lines.append(line)
                line = ""
                used = 0
            }
            while splittingLongWords, of(rest) > width {
                var piece = ""
                var pieceWidth = 0
                while let c = rest.first, pieceWidth + of(c) <= width {
                    piece.append(c)
                    pieceWidth += of(c)
                    rest = rest.dropFirst()
                }
                if piece.isEmpty { break }
                lines.append(piece)
            }
            line = String(rest)
            used = of(rest)
        }
        if used > 0 { lines.append(line) }
        return lines
    }
}
