/// A horizontal bar showing how much of a limit is used, with optional
/// threshold marks (the monthly budget's 80% and 95%).
public struct Gauge: Sendable {
    /// Used / limit. May exceed 1 (overspend) or be 0.
    public var fraction: Double
    /// Fractions of the limit to mark, e.g. [0.8, 0.95].
    public var markers: [Double]
    public var fillRole: StyleRole

    public init(fraction: Double, markers: [Double] = [], fillRole: StyleRole = .ok) {
        // +infinity (spend against a zero limit) is an overflow, not "nothing".
        self.fraction = fraction.isNaN ? 0 : max(0, fraction)
        self.markers = markers
        self.fillRole = fillRole
    }

    /// The cell column (0-based, within `width`) where a marker is drawn.
    public static func markerColumn(_ marker: Double, width: Int) -> Int {
        min(width - 1, max(0, Int((marker * Double(width)).rounded(.down))))
    }

    public func render(into canvas: inout Canvas, x: Int, y: Int, width: Int, glyphs: GlyphSet) {
        guard width > 0 else { return }
        let overflow = fraction > 1
        let steps = glyphs.eighths.count
        let totalSteps = Int((min(fraction, 1) * Double(width * steps)).rounded(.down))
        // A non-zero value always shows at least the smallest step, so "a little"
        // is never drawn as "nothing".
        let filledSteps = fraction > 0 ? max(1, totalSteps) : 0
        for i in 0..<width {
            let stepsHere = min(steps, max(0, filledSteps - i * steps))
            if stepsHere == steps {
                canvas[x + i, y] = Cell(glyphs.fullBlock, role: fillRole)
            } else if stepsHere > 0 {
                canvas[x + i, y] = Cell(glyphs.eighths[stepsHere - 1], role: fillRole)
            } else {
                canvas[x + i, y] = Cell(glyphs.gaugeEmpty, role: .gaugeEmpty)
            }
        }
        for marker in markers where marker > 0 && marker < 1 {
            let column = Self.markerColumn(marker, width: width)
            let reached = fraction >= marker
            canvas[x + column, y] = Cell(glyphs.gaugeMarker, role: reached ? fillRole : .gaugeMarker)
        }
        if overflow {
            canvas[x + width - 1, y] = Cell(glyphs.gaugeOverflow, role: .critical)
        }
    }
}
