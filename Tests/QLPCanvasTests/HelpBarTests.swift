import Testing

@testable import QLPCanvas

struct HelpBarTests {
    private let items: [HelpBar.Item] = [
        .init(key: "q", label: "quit"), .init(key: "?", label: "help"), .init(key: "/", label: "filter"),
    ]

    private func render(_ bar: HelpBar, width: Int) -> Canvas {
        var canvas = Canvas(width: width, height: 2)
        bar.render(into: &canvas, row: 1)
        return canvas
    }

    @Test func showsEveryItemAndTheTrailingTextWhenWide() {
        let canvas = render(HelpBar(items: items, trailing: "v1"), width: 40)
        #expect(canvas.lines == ["", " q quit  ? help  / filter" + String(repeating: " ", count: 12) + "v1"])
    }

    @Test func keysAndLabelsHaveTheirRoles() {
        let canvas = render(HelpBar(items: items), width: 40)
        #expect(canvas.role(x: 1, y: 1) == .helpKey)
        #expect(canvas.role(x: 3, y: 1) == .helpText)
        #expect(canvas.role(x: 39, y: 1) == .helpText)
        #expect(canvas.role(x: 0, y: 0) == .normal)
    }

    @Test func dropsItemsThatDoNotFitButKeepsTrailing() {
        let canvas = render(HelpBar(items: items, trailing: "v1"), width: 16)
        #expect(canvas.lines == ["", " q quit      v1"])
    }

    @Test func stopsAtTheFirstItemThatDoesNotFitSoOrderIsKept() {
        let bar = HelpBar(items: [
            .init(key: "q", label: "quit"), .init(key: "x", label: "a-very-long-label"),
            .init(key: "?", label: "help"),
        ])
        #expect(render(bar, width: 20).lines == ["", " q quit"])
    }

    @Test func tooNarrowForAnyItem() {
        #expect(render(HelpBar(items: items, trailing: "v1"), width: 5).lines == ["", "  v1"])
        #expect(render(HelpBar(items: items, trailing: "a long status"), width: 5).lines == ["", ""])
    }

    @Test func clearsWhatWasOnTheRow() {
        var canvas = Canvas(width: 12, height: 1)
        canvas.fill(canvas.bounds, with: "x")
        HelpBar(items: [.init(key: "q", label: "quit")]).render(into: &canvas, row: 0)
        #expect(canvas.lines == [" q quit"])
    }
}
