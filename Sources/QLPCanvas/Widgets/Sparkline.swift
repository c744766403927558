/// One row of eighth blocks showing a series' shape between its own minimum
/// and maximum; missing points are blank, so a gap reads as a gap.
public struct Sparkline: Sendable {
    public var values: [Double?]
    public var role: StyleRole

    public init(values: [Double?], role: StyleRole = .accent) {
        self.values = values
        self.role = role
    }

    /// Draws the last `width` values, right-aligned.
    public func render(into canvas: inout Canvas, x: Int, y: Int, width: Int, glyphs: GlyphSet) {
        guard width > 0 else { return }
        let shown = Array(values.suffix(width))
        let present = shown.compactMap { $0 }.filter(\.isFinite)
        guard let low = present.min(), let high = present.max() else { return }
        let steps = glyphs.verticalEighths
        let offset = width - shown.count
        for (i, value) in shown.enumerated() {
            guard let value, value.isFinite else { continue }
            // A flat series sits in the middle rather than looking empty or full.
            let level = high > low ? (value - low) / (high - low) : 0.5
            let index = min(steps.count - 1, max(0, Int((level * Double(steps.count - 1)).rounded())))
            canvas[x + offset + i, y] = Cell(steps[index], role: role)
        }
    }
}
