/// A box with a title in its top border; popups and panels use it.
public struct Frame: Sendable {
    public var title: String
    public var role: StyleRole

    public init(title: String = "", role: StyleRole = .border) {
        self.title = title
        self.role = role
    }

    /// Draws the border and clears the inside; returns the inner rect.
    @discardableResult
    public func render(into canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        canvas.fill(rect, role: .normal)
        for x in rect.x + 1..<rect.maxX - 1 {
            canvas[x, rect.y] = Cell(glyphs.horizontal, role: role)
            canvas[x, rect.maxY - 1] = Cell(glyphs.horizontal, role: role)
        }
        for y in rect.y + 1..<rect.maxY - 1 {
            canvas[rect.x, y] = Cell(glyphs.vertical, role: role)
            canvas[rect.maxX - 1, y] = Cell(glyphs.vertical, role: role)
        }
        canvas[rect.x, rect.y] = Cell(glyphs.topLeft, role: role)
        canvas[rect.maxX - 1, rect.y] = Cell(glyphs.topRight, role: role)
        canvas[rect.x, rect.maxY - 1] = Cell(glyphs.bottomLeft, role: role)
        canvas[rect.maxX - 1, rect.maxY - 1] = Cell(glyphs.bottomRight, role: role)
        if !title.isEmpty, rect.width > 6 {
            let label = DisplayWidth.truncate(" \(title) ", to: rect.width - 4, ellipsis: glyphs.ellipsis)
            canvas.put(label, x: rect.x + 2, y: rect.y, role: .title)
        }
        return rect.inset(by: 1)
    }
}
