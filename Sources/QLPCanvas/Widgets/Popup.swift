/// A framed box in the middle of an area, for a question such as "apply this
/// change? y/n": lines of text and, on the last row, the question.
public struct Popup: Sendable {
    public struct Line: Sendable, Equatable {
        public var text: String
        public var role: StyleRole
        public init(_ text: String, role: StyleRole = .normal) {
            self.text = text
            self.role = role
        }
    }

    public var title: String
    public var lines: [Line]
    public var question: String

    public init(title: String, lines: [Line], question: String) {
        self.title = title
        self.lines = lines
        self.question = question
    }

    public func render(into canvas: inout Canvas, area: Rect, glyphs: GlyphSet) {
        let widest = (lines.map { DisplayWidth.of($0.text) } + [DisplayWidth.of(question), DisplayWidth.of(title) + 4]).max() ?? 0
        let width = min(area.width - 2, max(40, widest + 4))
        // Lines that do not fit give way to the question, which must show.
        let room = max(0, area.height - 2 - 4)
        let shown = Array(lines.prefix(room))
        let rect = area.centered(width: width, height: shown.count + 4)
        let inner = Frame(title: title, role: .accent).render(into: &canvas, rect: rect, glyphs: glyphs)
        for (i, line) in shown.enumerated() {
            canvas.put(
                DisplayWidth.truncate(line.text, to: inner.width - 2, ellipsis: glyphs.ellipsis),
                x: inner.x + 1, y: inner.y + i, role: line.role)
        }
        canvas.put(
            DisplayWidth.truncate(question, to: inner.width - 2, ellipsis: glyphs.ellipsis),
            x: inner.x + 1, y: inner.maxY - 1, role: .warning)
    }
}
