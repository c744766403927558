import Testing

@testable import QLPCanvas

struct GeometryTests {
    @Test func insetNeverGoesBelowZero() {
        let rect = Rect(x: 0, y: 0, width: 10, height: 4)
        #expect(rect.inset(by: 1) == Rect(x: 1, y: 1, width: 8, height: 2))
        #expect(rect.inset(by: 3).height == 0)
        #expect(rect.inset(by: 3).isEmpty)
    }

    @Test func splitsShareTheRect() {
        let rect = Rect(x: 2, y: 1, width: 20, height: 10)
        let (top, rest) = rect.splitTop(3)
        #expect(top == Rect(x: 2, y: 1, width: 20, height: 3))
        #expect(rest == Rect(x: 2, y: 4, width: 20, height: 7))
        let (body, bottom) = rect.splitBottom(1)
        #expect(body.height == 9)
        #expect(bottom == Rect(x: 2, y: 10, width: 20, height: 1))
        let (left, right) = rect.splitLeft(25)
        #expect(left.width == 20)
        #expect(right.width == 0)
    }

    @Test func centeredIsClippedToTheRect() {
        let rect = Rect(x: 0, y: 0, width: 80, height: 24)
        #expect(rect.centered(width: 40, height: 10) == Rect(x: 20, y: 7, width: 40, height: 10))
        #expect(rect.centered(width: 100, height: 30) == rect)
    }

    @Test func containsExcludesTheFarEdges() {
        let rect = Rect(x: 1, y: 1, width: 2, height: 2)
        #expect(rect.contains(Point(x: 1, y: 1)))
        #expect(rect.contains(Point(x: 2, y: 2)))
        #expect(!rect.contains(Point(x: 3, y: 2)))
        #expect(!rect.contains(Point(x: 0, y: 1)))
    }
}
