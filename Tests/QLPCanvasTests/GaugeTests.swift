import Testing

@testable import QLPCanvas

struct GaugeTests {
    /// Renders a 20-cell gauge on a 20x1 canvas and returns the canvas.
    private func render(_ gauge: Gauge, glyphs: GlyphSet, width: Int = 20) -> Canvas {
        var canvas = Canvas(width: width, height: 1)
        gauge.render(into: &canvas, x: 0, y: 0, width: width, glyphs: glyphs)
        return canvas
    }

    private func repeated(_ c: Character, _ n: Int) -> String { String(repeating: c, count: n) }

    @Test func zeroIsAllEmpty() {
        #expect(render(Gauge(fraction: 0), glyphs: .unicode).lines == [repeated("░", 20)])
        #expect(render(Gauge(fraction: 0), glyphs: .ascii).lines == [repeated(".", 20)])
        #expect(render(Gauge(fraction: 0), glyphs: .unicode).role(x: 0, y: 0) == .gaugeEmpty)
    }

    @Test func tinyNonZeroShowsASliver() {
        // 0.1% of 20 cells is far below one eighth of a cell: still visible.
        let unicode = render(Gauge(fraction: 0.001), glyphs: .unicode)
        #expect(unicode.lines == ["▏" + repeated("░", 19)])
        #expect(unicode.role(x: 0, y: 0) == .ok)
        #expect(render(Gauge(fraction: 0.001), glyphs: .ascii).lines == ["#" + repeated(".", 19)])
    }

    @Test func halfFillsHalfTheCells() {
        #expect(render(Gauge(fraction: 0.5), glyphs: .unicode).lines == [repeated("█", 10) + repeated("░", 10)])
        #expect(render(Gauge(fraction: 0.5), glyphs: .ascii).lines == [repeated("#", 10) + repeated(".", 10)])
    }

    @Test func partialCellUsesEighths() {
        // 53% of 160 eighths = 84.8 -> 84 = 10 full cells + 4 eighths (▌).
        #expect(render(Gauge(fraction: 0.53), glyphs: .unicode).lines == [repeated("█", 10) + "▌" + repeated("░", 9)])
        // ASCII has whole cells only: 10.6 cells -> 10.
        #expect(render(Gauge(fraction: 0.53), glyphs: .ascii).lines == [repeated("#", 10) + repeated(".", 10)])
    }

    @Test func fullIsAllFilledWithoutOverflow() {
        let canvas = render(Gauge(fraction: 1.0), glyphs: .unicode)
        #expect(canvas.lines == [repeated("█", 20)])
        #expect(canvas.role(x: 19, y: 0) == .ok)
    }

    @Test func overspendShowsTheOverflowGlyphInCriticalRole() {
        let unicode = render(Gauge(fraction: 1.5, fillRole: .warning), glyphs: .unicode)
        #expect(unicode.lines == [repeated("█", 19) + "▶"])
        #expect(unicode.role(x: 19, y: 0) == .critical)
        #expect(unicode.role(x: 0, y: 0) == .warning)
        #expect(render(Gauge(fraction: 1.5), glyphs: .ascii).lines == [repeated("#", 19) + ">"])
    }

    @Test func justOverTheLimitAlreadyShowsOverflow() {
        #expect(render(Gauge(fraction: 1.01), glyphs: .ascii).lines == [repeated("#", 19) + ">"])
    }

    @Test func infiniteFractionIsAnOverflowNotEmpty() {
        // Spend against a zero limit divides by zero.
        #expect(render(Gauge(fraction: .infinity), glyphs: .ascii).lines == [repeated("#", 19) + ">"])
    }

    @Test func nanAndNegativeAreEmpty() {
        #expect(render(Gauge(fraction: .nan), glyphs: .ascii).lines == [repeated(".", 20)])
        #expect(render(Gauge(fraction: -0.4), glyphs: .ascii).lines == [repeated(".", 20)])
    }

    @Test func markerColumnsIn20Cells() {
        #expect(Gauge.markerColumn(0.8, width: 20) == 16)
        #expect(Gauge.markerColumn(0.95, width: 20) == 19)
        #expect(Gauge.markerColumn(0.5, width: 10) == 5)
        // 0.8 x 17 = 13.6: the marker sits in the cell that contains 80%.
        #expect(Gauge.markerColumn(0.8, width: 17) == 13)
        #expect(Gauge.markerColumn(1.2, width: 20) == 19)
        #expect(Gauge.markerColumn(-1, width: 20) == 0)
    }

    @Test func markersAt80And95PercentUnicode() {
        let canvas = render(Gauge(fraction: 0.5, markers: [0.8, 0.95]), glyphs: .unicode)
        #expect(canvas.lines == [repeated("█", 10) + repeated("░", 6) + "┃" + "░░" + "┃"])
        #expect(canvas.role(x: 16, y: 0) == .gaugeMarker)
        #expect(canvas.role(x: 19, y: 0) == .gaugeMarker)
    }

    @Test func markersAt80And95PercentAscii() {
        let canvas = render(Gauge(fraction: 0.5, markers: [0.8, 0.95]), glyphs: .ascii)
        #expect(canvas.lines == [repeated("#", 10) + repeated(".", 6) + "|..|"])
    }

    @Test func aReachedMarkerTakesTheFillRole() {
        let canvas = render(Gauge(fraction: 0.85, markers: [0.8, 0.95], fillRole: .warning), glyphs: .unicode)
        #expect(canvas.lines == [repeated("█", 16) + "┃" + "░░" + "┃"])
        #expect(canvas.role(x: 16, y: 0) == .warning)
        #expect(canvas.role(x: 19, y: 0) == .gaugeMarker)
    }

    @Test func markersOutsideZeroToOneAreNotDrawn() {
        let canvas = render(Gauge(fraction: 0, markers: [0, 1, 1.2]), glyphs: .ascii)
        #expect(canvas.lines == [repeated(".", 20)])
    }

    @Test func rendersAtAnOffsetWithoutTouchingNeighbours() {
        var canvas = Canvas(width: 14, height: 1)
        canvas.fill(canvas.bounds, with: "x")
        Gauge(fraction: 0.5).render(into: &canvas, x: 2, y: 0, width: 10, glyphs: .ascii)
        #expect(canvas.lines == ["xx#####.....xx"])
    }

    @Test func zeroWidthDrawsNothing() {
        #expect(render(Gauge(fraction: 0.5), glyphs: .ascii, width: 0).lines == [""])
    }
}
