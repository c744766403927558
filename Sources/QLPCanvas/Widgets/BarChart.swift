/// Vertical bars, one column per value, bottom-aligned, in eighths of a cell
/// so a few rows still show the shape of a month of daily spend.
public struct BarChart: Sendable {
    public var values: [Double]
    /// The value a full-height bar stands for (the largest value if nil).
    public var scale: Double?
    public var role: StyleRole
    /// Values at these indices are drawn in `highlightRole` (today, say).
    public var highlighted: Set<Int>
    public var highlightRole: StyleRole
    /// Columns per value (wider bars when there is room).
    public var barWidth: Int

    public init(
        values: [Double], scale: Double? = nil, role: StyleRole = .accent,
        highlighted: Set<Int> = [], highlightRole: StyleRole = .muted, barWidth: Int = 1
    ) {
        self.values = values.map { $0.isFinite ? max(0, $0) : 0 }
        self.scale = scale
        self.role = role
        self.highlighted = highlighted
        self.highlightRole = highlightRole
        self.barWidth = max(1, barWidth)
    }

    /// Draws the last values that fit into `rect`, right-aligned.
    public func render(into canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) {
        guard rect.width > 0, rect.height > 0 else { return }
        let top = scale ?? (values.max() ?? 0)
        let shown = values.suffix(rect.width / barWidth)
        let firstIndex = values.count - shown.count
        let steps = glyphs.verticalEighths.count
        let offset = rect.width - shown.count * barWidth
        for (i, value) in shown.enumerated() {
            for column in 0..<barWidth {
                draw(
                    value, index: firstIndex + i, x: rect.x + offset + i * barWidth + column, rect: rect, top: top,
                    steps: steps, glyphs: glyphs, canvas: &canvas)
            }
        }
    }

    private func draw(
        _ value: Double, index: Int, x: Int, rect: Rect, top: Double, steps: Int, glyphs: GlyphSet,
        canvas: inout Canvas
    ) {
        // Clamped as a Double first: a value far above a small `scale` is
        // infinitely many steps, which no Int can hold.
        let fullHeight = Double(rect.height * steps)
        let total = top > 0 ? Int(min(fullHeight, (value / top * fullHeight).rounded())) : 0
        // Any spend at all shows as at least the lowest step.
        let filled = value > 0 ? max(1, min(total, rect.height * steps)) : 0
        let role = highlighted.contains(index) ? highlightRole : self.role
        for row in 0..<rect.height {
            let y = rect.maxY - 1 - row
            let here = min(steps, max(0, filled - row * steps))
            if here > 0 { canvas[x, y] = Cell(glyphs.verticalEighths[here - 1], role: role) }
        }
    }
}
