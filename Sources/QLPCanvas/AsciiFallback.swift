/// Plain-ASCII stand-ins for the symbols qlp's text uses, for terminals whose
/// locale is not UTF-8. Without them the terminal shows each as `?`, which
/// reads as a key or a missing value ("j/?", "40?20"). Characters with no
/// stand-in here (names from outside, in other scripts) still become `?` at
/// the terminal: they are data, not qlp's glyphs.
public enum AsciiFallback {
    /// Each symbol and what replaces it; several take more than one cell.
    public static let replacements: [Character: String] = [
        "→": "->", "←": "<-", "↑": "Up", "↓": "Down", "↔": "<->", "⇒": "=>",
        "≥": ">=", "≤": "<=", "≠": "!=", "±": "+/-", "×": "x", "÷": "/", "≈": "~",
        "…": "...", "·": "|", "•": "*", "–": "-", "—": "-", "‘": "'", "’": "'", "“": "\"", "”": "\"",
        "£": "GBP ", "€": "EUR ", "$": "$", "Σ": "sum", "§": "s.", "°": "deg", "µ": "u",
        "▲": "^", "▼": "v", "▶": ">", "◀": "<", "✓": "ok", "✗": "x",
        "─": "-", "━": "-", "┈": "-", "│": "|", "┃": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+",
        "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+",
        "█": "#", "▉": "#", "▊": "#", "▋": "#", "▌": "#", "▍": "#", "▎": "#", "▏": "#",
        "▇": "#", "▆": "#", "▅": "#", "▄": "#", "▃": "#", "▂": "#", "▁": "#", "░": ".", "▒": ":", "▓": "#",
    ]

    /// `text` with every known symbol replaced; ASCII and unknown characters as they are.
    public static func text(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            if character.isASCII {
                out.append(character)
            } else if let replacement = replacements[character] {
                out += replacement
            } else {
                out.append(character)
            }
        }
        return out
    }
}
