import Testing

@testable import QLPCanvas

struct SparklineTests {
    private func render(_ values: [Double?], width: Int) -> String {
        var canvas = Canvas(width: width, height: 1)
        Sparkline(values: values).render(into: &canvas, x: 0, y: 0, width: width, glyphs: .unicode)
        return canvas.lines[0]
    }

    @Test func aSeriesThatFitsIsDrawnAsIsRightAligned() {
        #expect(render([0, 7, nil, 14], width: 6) == "  ▁▅ █")  // 7 is half way: level 3.5 of 7 rounds up
    }

    @Test func aLongerSeriesIsAveragedNotCut() {
        // 36 five-minute points in 12 cells: every cell is 15 minutes, the first cell the oldest.
        let values: [Double?] = (0..<36).map { Double($0 / 3) }
        #expect(Sparkline.fitted(values, to: 12) == (0..<12).map { Double($0) })
        #expect(render(values, width: 12).first == "▁")
        #expect(render(values, width: 12).last == "█")
    }

    @Test func groupsEndOnTheNewestValueAndSkipGaps() {
        // 5 values in 2 cells: groups of 3 counted back from the newest: [0, 1] and [nil, 5, 9].
        #expect(Sparkline.fitted([0, 1, nil, 5, 9], to: 2) == [0.5, 7])
        #expect(Sparkline.fitted([nil, nil, nil, 4], to: 2) == [nil, 4])
        #expect(Sparkline.fitted([1, 2], to: 0) == [])
    }
}
