/// The drawing characters a view may use. Chosen once from the terminal's
/// locale: UTF-8 terminals get block and box characters, anything else gets
/// plain ASCII so nothing arrives as mojibake (`lqqk`) over an old SSH client.
public struct GlyphSet: Sendable, Equatable {
    public var isUnicode: Bool
    /// Gauge fill from one eighth to a full cell; ASCII has only the full cell.
    public var eighths: [Character]
    /// Bar chart columns from one eighth of a cell high to a full cell.
    public var verticalEighths: [Character]
    public var gaugeEmpty: Character
    public var gaugeMarker: Character
    public var gaugeOverflow: Character
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    public var ellipsis: Character
    public var separator: Character
    public var pound: String
    public var upArrow: Character

    public static let unicode = GlyphSet(
        isUnicode: true,
        eighths: ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
        verticalEighths: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        gaugeEmpty: "░", gaugeMarker: "┃", gaugeOverflow: "▶",
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        ellipsis: "…", separator: "·", pound: "£", upArrow: "▲")

    public static let ascii = GlyphSet(
        isUnicode: false,
        eighths: ["#"],
        verticalEighths: ["#"],
        gaugeEmpty: ".", gaugeMarker: "|", gaugeOverflow: ">",
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        ellipsis: "~", separator: "|", pound: "GBP ", upArrow: "^")

    public var fullBlock: Character { eighths[eighths.count - 1] }
}
