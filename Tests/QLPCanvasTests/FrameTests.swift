import Testing

@testable import QLPCanvas

struct FrameTests {
    @Test func drawsBorderAndTitleAndReturnsTheInnerRect() {
        var canvas = Canvas(width: 10, height: 4)
        let inner = Frame(title: "Hi").render(into: &canvas, rect: canvas.bounds, glyphs: .unicode)
        #expect(
            canvas.lines == [
                "┌─ Hi ───┐",
                "│        │",
                "│        │",
                "└────────┘",
            ])
        #expect(inner == Rect(x: 1, y: 1, width: 8, height: 2))
        #expect(canvas.role(x: 0, y: 0) == .border)
        #expect(canvas.role(x: 3, y: 0) == .title)
    }

    @Test func asciiGlyphs() {
        var canvas = Canvas(width: 10, height: 3)
        Frame(title: "Hi").render(into: &canvas, rect: canvas.bounds, glyphs: .ascii)
        #expect(canvas.lines == ["+- Hi ---+", "|        |", "+--------+"])
    }

    @Test func longTitleIsCutWithTheEllipsis() {
        var canvas = Canvas(width: 10, height: 3)
        Frame(title: "Budgets").render(into: &canvas, rect: canvas.bounds, glyphs: .unicode)
        #expect(canvas.lines[0] == "┌─ Budg…─┐")
        Frame(title: "Budgets").render(into: &canvas, rect: canvas.bounds, glyphs: .ascii)
        #expect(canvas.lines[0] == "+- Budg~-+")
    }

    @Test func narrowFrameHasNoTitle() {
        var canvas = Canvas(width: 6, height: 3)
        Frame(title: "Hi").render(into: &canvas, rect: canvas.bounds, glyphs: .ascii)
        #expect(canvas.lines == ["+----+", "|    |", "+----+"])
    }

    @Test func clearsTheInsideAndLeavesTheOutside() {
        var canvas = Canvas(width: 8, height: 5)
        canvas.fill(canvas.bounds, with: "x")
        let inner = Frame().render(into: &canvas, rect: Rect(x: 1, y: 1, width: 5, height: 3), glyphs: .ascii)
        #expect(canvas.lines == ["xxxxxxxx", "x+---+xx", "x|   |xx", "x+---+xx", "xxxxxxxx"])
        #expect(inner == Rect(x: 2, y: 2, width: 3, height: 1))
    }

    @Test func tooSmallRectDrawsNothing() {
        var canvas = Canvas(width: 4, height: 4)
        let inner = Frame(title: "x").render(into: &canvas, rect: Rect(x: 0, y: 0, width: 1, height: 4), glyphs: .ascii)
        #expect(inner.isEmpty)
        #expect(canvas.lines == ["", "", "", ""])
    }
}
