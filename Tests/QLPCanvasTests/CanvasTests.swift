import Testing

@testable import QLPCanvas

struct CanvasTests {
    @Test func newCanvasIsBlankAndReadsAsEmptyLines() {
        let canvas = Canvas(width: 4, height: 2)
        #expect(canvas.lines == ["", ""])
        #expect(canvas.text(row: 0) == "    ")
        #expect(canvas.cells.count == 8)
    }

    @Test func negativeSizeBecomesEmpty() {
        let canvas = Canvas(width: -3, height: 2)
        #expect(canvas.size == Size(width: 0, height: 2))
        #expect(canvas.lines == ["", ""])
    }

    @Test func putWritesAndReturnsCellsUsed() {
        var canvas = Canvas(width: 10, height: 1)
        let used = canvas.put("£12.50", x: 2, y: 0, role: .ok)
        #expect(used == 6)
        #expect(canvas.lines == ["  £12.50"])
        #expect(canvas.role(x: 2, y: 0) == .ok)
        #expect(canvas.role(x: 1, y: 0) == .normal)
    }

    @Test func putClipsAtTheRightEdge() {
        var canvas = Canvas(width: 6, height: 1)
        let used = canvas.put("hello world", x: 3, y: 0)
        #expect(used == 3)
        #expect(canvas.lines == ["   hel"])
    }

    @Test func putClipsAtMaxWidth() {
        var canvas = Canvas(width: 10, height: 1)
        canvas.fill(canvas.bounds, with: ".")
        let used = canvas.put("abcdef", x: 1, y: 0, maxWidth: 3)
        #expect(used == 3)
        #expect(canvas.lines == [".abc......"])
    }

    @Test func putWithNegativeXShowsOnlyTheVisiblePart() {
        var canvas = Canvas(width: 5, height: 1)
        canvas.put("abcdef", x: -2, y: 0)
        #expect(canvas.lines == ["cdef"])
    }

    @Test func putOutsideTheRowsWritesNothing() {
        var canvas = Canvas(width: 5, height: 2)
        #expect(canvas.put("abc", x: 0, y: 2) == 0)
        #expect(canvas.put("abc", x: 0, y: -1) == 0)
        #expect(canvas.put("abc", x: 7, y: 0) == 0)
        #expect(canvas.lines == ["", ""])
    }

    @Test func wideGraphemeTakesTwoCells() {
        var canvas = Canvas(width: 6, height: 1)
        #expect(canvas.put("日本", x: 1, y: 0) == 4)
        #expect(canvas.lines == [" 日本"])
        #expect(canvas[1, 0].grapheme == "日")
        #expect(canvas[2, 0].isContinuation)
        #expect(canvas[3, 0].grapheme == "本")
        #expect(canvas[4, 0].isContinuation)
        #expect(!canvas[5, 0].isContinuation)
    }

    @Test func wideGraphemeThatFitsExactlyAtTheEdgeIsKept() {
        var canvas = Canvas(width: 4, height: 1)
        #expect(canvas.put("ab日", x: 0, y: 0) == 4)
        #expect(canvas.lines == ["ab日"])
        #expect(canvas[3, 0].isContinuation)
    }

    @Test func wideGraphemeThatDoesNotFitLeavesABlankNotHalfAGlyph() {
        var canvas = Canvas(width: 5, height: 1)
        canvas.fill(canvas.bounds, with: "x")
        #expect(canvas.put("ab日", x: 2, y: 0) == 3)
        #expect(canvas.text(row: 0) == "xxab ")
        #expect(!canvas[4, 0].isContinuation)
    }

    @Test func wideGraphemeCutByMaxWidthLeavesABlank() {
        var canvas = Canvas(width: 8, height: 1)
        canvas.fill(canvas.bounds, with: "x")
        canvas.put("日本語", x: 0, y: 0, maxWidth: 5)
        #expect(canvas.text(row: 0) == "日本 xxx")
    }

    @Test func wideGraphemeCutByTheLeftEdgeLeavesABlank() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.fill(canvas.bounds, with: "x")
        canvas.put("日本", x: -1, y: 0)
        #expect(canvas.text(row: 0) == " 本x")
        #expect(!canvas[0, 0].isContinuation)
    }

    @Test func overwritingTheRightHalfBlanksTheLeftHalf() {
        var canvas = Canvas(width: 6, height: 1)
        canvas.put("日本", x: 0, y: 0)
        canvas.put("x", x: 1, y: 0)
        #expect(canvas.text(row: 0) == " x本  ")
        #expect(!canvas[1, 0].isContinuation)
    }

    @Test func overwritingTheLeftHalfBlanksTheRightHalf() {
        var canvas = Canvas(width: 6, height: 1)
        canvas.put("日本", x: 0, y: 0)
        canvas.put("y", x: 2, y: 0)
        #expect(canvas.text(row: 0) == "日y   ")
        #expect(!canvas[3, 0].isContinuation)
    }

    @Test func wideOverAWideShiftedByOneLeavesNoOrphanHalf() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("a日", x: 0, y: 0)  // a, 日, (continuation), blank
        canvas.put("本", x: 0, y: 0)  // 本 now covers cells 0-1: the old 日's right half must go
        #expect(canvas.text(row: 0) == "本  ")
        #expect(canvas[1, 0].isContinuation)
        #expect(!canvas[2, 0].isContinuation)
    }

    @Test func subscriptOverHalfAWideGraphemeKeepsTheGridConsistent() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("日", x: 0, y: 0)
        canvas[1, 0] = Cell("|", role: .border)
        #expect(canvas.text(row: 0) == " |  ")
        #expect(!canvas[1, 0].isContinuation)
    }

    @Test func restylingAWideGraphemeThroughTheSubscriptKeepsIt() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("日", x: 0, y: 0)
        canvas[0, 0].role = .selection
        #expect(canvas.lines == ["日"])
        #expect(canvas[1, 0].isContinuation)
        #expect(canvas.role(x: 0, y: 0) == .selection)
    }

    @Test func controlCharactersAndEscapeSequencesAreMadeInert() {
        var canvas = Canvas(width: 20, height: 1)
        // Tab, an escape sequence, a C1 CSI sequence, a lone C1 control and CR LF (one grapheme).
        canvas.put("a\tb\u{1B}[31mc\u{9B}2Jd\u{85}e\r\n", x: 0, y: 0)
        #expect(canvas.lines == ["a bcd?e??"])
        #expect(!canvas.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
    }

    @Test func aHostileResourceNameCannotReachTheTerminal() {
        var canvas = Canvas(width: 40, height: 1)
        // Retitle the window (OSC 0 ended by BEL), clear the screen, move the
        // cursor home, a DCS string ended by ST, and a right-to-left override.
        let name = "\u{1B}]0;pwned\u{07}vm-\u{1B}[2J\u{1B}[Hprod\u{1B}Pq#0\u{1B}\\-\u{202E}01"
        canvas.put(name, x: 0, y: 0)
        #expect(canvas.lines == ["vm-prod-01"])
    }

    @Test func cellsWrittenDirectlyAreGuardedToo() {
        var canvas = Canvas(width: 4, height: 1)
        canvas[0, 0] = Cell("\u{1B}")
        canvas.fill(Rect(x: 1, y: 0, width: 2, height: 1), with: "\u{9B}")
        canvas[3, 0] = Cell("\u{7F}")
        #expect(canvas.lines == ["????"])
    }

    @Test func zeroWidthCharactersTakeNoCell() {
        var canvas = Canvas(width: 8, height: 1)
        #expect(canvas.put("a\u{200B}b", x: 0, y: 0) == 2)
        #expect(canvas.lines == ["ab"])
        #expect(canvas.put("cafe\u{301}", x: 3, y: 0) == 4)
        #expect(canvas.lines == ["ab cafe\u{301}"])
    }

    @Test func linesTrimTrailingSpacesOnly() {
        var canvas = Canvas(width: 8, height: 3)
        canvas.put("  a b", x: 0, y: 0)
        canvas.put("x", x: 7, y: 1)
        #expect(canvas.lines == ["  a b", "       x", ""])
        #expect(canvas.text == "  a b\n       x\n")
    }

    @Test func putWithWidthPadsOrCuts() {
        var canvas = Canvas(width: 12, height: 3)
        canvas.fill(canvas.bounds, with: ".")
        canvas.put("ab", x: 0, y: 0, width: 5)
        canvas.put("ab", x: 0, y: 1, width: 5, alignRight: true)
        canvas.put("abcdefgh", x: 0, y: 2, width: 5)
        #expect(canvas.lines == ["ab   .......", "   ab.......", "abcd…......."])
    }

    @Test func putWithWidthUsesTheGivenEllipsis() {
        var canvas = Canvas(width: 6, height: 1)
        canvas.put("abcdefgh", x: 0, y: 0, width: 4, ellipsis: "~")
        #expect(canvas.lines == ["abc~"])
    }

    @Test func fillAndRestyleStayInsideTheCanvas() {
        var canvas = Canvas(width: 4, height: 2)
        canvas.fill(Rect(x: 2, y: 1, width: 10, height: 10), with: "#", role: .critical)
        #expect(canvas.lines == ["", "  ##"])
        #expect(canvas.role(x: 3, y: 1) == .critical)
        canvas.restyle(Rect(x: -1, y: 1, width: 3, height: 1), role: .selection)
        #expect(canvas.role(x: 1, y: 1) == .selection)
        #expect(canvas.role(x: 2, y: 1) == .critical)
        #expect(canvas.lines == ["", "  ##"])
    }

    @Test func subscriptOutsideTheCanvasIsBlankAndIgnored() {
        var canvas = Canvas(width: 2, height: 2)
        canvas[5, 5] = Cell("x")
        canvas[-1, 0] = Cell("x")
        #expect(canvas[5, 5] == .blank)
        #expect(canvas.lines == ["", ""])
    }
}
