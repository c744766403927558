import Testing

@testable import QLPCanvas

/// Issue 14, finding 9: one sanitiser for every line qlp prints. A printed
/// line keeps a visible mark where outside text held a control, and never
/// breaks into two.
struct PrintedLineTests {
    /// The hostile pieces the issue names, each as it would arrive in a name.
    static let hostile = [
        "clear\u{1B}[2Jscreen",  // ESC [ 2 J: erase the display
        "title\u{1B}]0;PWNED\u{07}set",  // OSC 0 ; title BEL
        "csi\u{9B}6nc1",  // C1 CSI: ask for the cursor position
        "cr\rreturn",  // carriage return: overwrite the line
        "lf\n#99 forged entry",  // line feed: forge a line
        "bidi\u{202E}txt.exe",  // right-to-left override
        "bell\u{07}only",
    ]

    static func forbidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
            || (0x2066...0x2069).contains(scalar.value)
    }

    @Test(arguments: hostile)
    func finding09_aPrintedLineHoldsNoControlAndMarksWhereOneWas(text: String) {
        let line = TerminalSafeText.printedLine(text)
        #expect(!line.unicodeScalars.contains(where: Self.forbidden), "\(line.debugDescription)")
        #expect(line.contains("?"), "the reader sees that something was there: \(line.debugDescription)")
    }

    @Test func finding09_aPrintedLineShowsEachRemovedSequenceAsOneMark() {
        #expect(TerminalSafeText.printedLine("a\u{1B}[2Jb\u{1B}]0;t\u{07}c\u{9B}6nd\u{202E}e") == "a?b?c?d?e")
        #expect(TerminalSafeText.printedLine("one\ntwo\r\nthree") == "one?two??three")
        #expect(TerminalSafeText.printedLine("plain £ text 日本") == "plain £ text 日本")
    }

    @Test func finding09_printedLinesKeepTheirLineFeedsAndNothingElse() {
        let text = "first \u{1B}[31mred\u{1B}[0m\nsecond\r\nthird\u{9D}0;x\u{07}\n"
        #expect(TerminalSafeText.printedLines(text) == "first ?red?\nsecond?\nthird?\n")
        // An escape sequence cannot run on into the next line and swallow it.
        #expect(TerminalSafeText.printedLines("a\u{1B}]0;never ends\nnext line") == "a?\nnext line")
    }
}
