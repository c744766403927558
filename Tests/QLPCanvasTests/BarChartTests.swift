import QLPCanvas
import Testing

@Suite struct BarChartTests {
    @Test func barsRiseInEighthsFromTheBottom() {
        var canvas = Canvas(width: 4, height: 2)
        BarChart(values: [0, 1, 4, 16], scale: 16).render(into: &canvas, rect: canvas.bounds, glyphs: .unicode)
        #expect(canvas.lines == ["   █", " ▁▄█"])
    }

    @Test func tinyValuesStillShowAndZeroShowsNothing() {
        var canvas = Canvas(width: 2, height: 1)
        BarChart(values: [0, 0.001], scale: 100).render(into: &canvas, rect: canvas.bounds, glyphs: .unicode)
        #expect(canvas.lines == ["▁"].map { " " + $0 })
    }

    @Test func onlyTheNewestValuesThatFitAreDrawnRightAligned() {
        var canvas = Canvas(width: 3, height: 1)
        BarChart(values: [1, 2, 3, 4, 5], scale: 5).render(into: &canvas, rect: canvas.bounds, glyphs: .ascii)
        #expect(canvas.lines == ["###"])
        var wide = Canvas(width: 7, height: 1)
        BarChart(values: [5, 0, 5], scale: 5, barWidth: 2).render(into: &wide, rect: wide.bounds, glyphs: .unicode)
        #expect(wide.lines == [" ██  ██"])
    }

    @Test func highlightedValuesTakeTheirRole() {
        var canvas = Canvas(width: 2, height: 1)
        BarChart(values: [1, 1], role: .accent, highlighted: [1], highlightRole: .muted)
            .render(into: &canvas, rect: canvas.bounds, glyphs: .unicode)
        #expect(canvas.role(x: 0, y: 0) == .accent)
        #expect(canvas.role(x: 1, y: 0) == .muted)
    }
}
