/// One row of eighth blocks showing a series' shape between its own minimum
/// and maximum; missing points are blank, so a gap reads as a gap.
public struct Sparkline: Sendable {
    public var values: [Double?]
    public var role: StyleRole

    public init(values: [Double?], role: StyleRole = .accent) {
        self.values = values
        self.role = role
    }

    /// Draws the whole series in `width` cells, right-aligned: when there are
    /// more values than cells, neighbours are averaged (the newest group
    /// ending on the newest value), so the span stays the one the header names.
    public func render(into canvas: inout Canvas, x: Int, y: Int, width: Int, glyphs: GlyphSet) {
        guard width > 0 else { return }
        let shown = Self.fitted(values, to: width)
        let present = shown.compactMap { $0 }.filter(\.isFinite)
        guard let low = present.min(), let high = present.max() else { return }
        let steps = glyphs.verticalEighths
        let offset = width - shown.count
        for (i, value) in shown.enumerated() {
            guard let value, value.isFinite else { continue }
            // A flat series sits in the middle rather than looking empty or full.
            // Halves, because high − low overflows to infinity for a series
            // spanning ±1.7e308, and ∞/∞ is NaN, which no Int can hold.
            let level = high > low ? (value / 2 - low / 2) / (high / 2 - low / 2) : 0.5
            let index = min(steps.count - 1, max(0, Int((level * Double(steps.count - 1)).rounded())))
            canvas[x + offset + i, y] = Cell(steps[index], role: role)
        }
    }

    /// `values` in at most `width` points: groups of ceil(count / width)
    /// consecutive values, counted back from the newest, averaged over the
    /// ones present (nil where none is).
    public static func fitted(_ values: [Double?], to width: Int) -> [Double?] {
        guard width > 0 else { return [] }
        guard values.count > width else { return values }
        let size = (values.count + width - 1) / width
        var groups: [Double?] = []
        var end = values.count
        while end > 0 {
            let present = values[max(0, end - size)..<end].compactMap { $0 }.filter(\.isFinite)
            // Each value divided first: a sum of values near Double's limit is infinite.
            let count = Double(present.count)
            groups.append(present.isEmpty ? nil : present.reduce(0) { $0 + $1 / count })
            end -= size
        }
        return groups.reversed()
    }
}
