import QLPCanvas
import Testing

/// Issue 14, finding 10: figures from outside at the ends of Double's range
/// draw as the ends of the chart instead of trapping on NaN or ∞ to Int.
@Suite struct ExtremeValueRenderingTests {
    @Test func finding10_aSparklineSpanningDoublesWholeRangeDrawsItsEnds() {
        var canvas = Canvas(width: 3, height: 1)
        Sparkline(values: [1.7e308, -1.7e308, 0]).render(into: &canvas, x: 0, y: 0, width: 3, glyphs: .unicode)
        // Top, bottom, and the middle of eight steps (3.5 rounds up).
        #expect(canvas.lines == ["█▁▅"])
    }

    @Test func finding10_aSparklineNarrowerThanItsValuesAveragesHugeNeighbours() {
        var canvas = Canvas(width: 2, height: 1)
        Sparkline(values: [1.7e308, 1.7e308, 0, 0]).render(into: &canvas, x: 0, y: 0, width: 2, glyphs: .unicode)
        // The two huge values average to themselves, not to an infinite sum shown as a gap.
        #expect(canvas.lines == ["█▁"])
    }

    @Test func finding10_aBarFarAboveItsScaleIsFullHeight() {
        var canvas = Canvas(width: 2, height: 2)
        BarChart(values: [1e300, 0], scale: 1e-300).render(into: &canvas, rect: canvas.bounds, glyphs: .unicode)
        #expect(canvas.lines == ["█", "█"])  // trailing blanks are trimmed
    }
}
