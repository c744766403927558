import Testing

@testable import QLPCanvas

struct TerminalSafeTextTests {
    @Test(arguments: [
        ("plain £ text 日本", "plain £ text 日本"),
        ("\u{1B}[1;31mred\u{1B}[0m", "red"),  // SGR
        ("\u{1B}[?1049lout", "out"),  // leave the alternate screen
        ("\u{1B}]0;title\u{07}after", "after"),  // OSC ended by BEL
        ("\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\", "link"),  // OSC 8 hyperlink ended by ST
        ("\u{9D}0;title\u{9C}after", "after"),  // C1 OSC ended by C1 ST
        ("\u{9B}31mred", "red"),  // C1 CSI
        ("\u{1B}P1$r\u{1B}\\x", "x"),  // DCS
        ("\u{1B}_apc\u{1B}\\x", "x"),  // APC
        ("\u{1B}(Bx", "x"),  // charset designation
        ("\u{1B}cx", "x"),  // full reset
        ("a\u{1B}", "a"),  // a trailing ESC
        ("a\u{1B}\u{1B}[2Jb", "ab"),  // ESC then a sequence
        ("\u{1B}[31", ""),  // unterminated CSI
        ("\u{1B}[3\nx", "?x"),  // a malformed CSI does not swallow what follows
        ("\u{1B}]0;never ends", ""),  // unterminated OSC swallows the rest
        ("a\u{07}b\u{7F}c\u{85}d\u{0}e", "a?b?c?d?e"),  // BEL, DEL, NEL, NUL
        ("a\tb", "a b"),
        ("abc\u{202E}fed\u{2066}x\u{2069}", "abcfedx"),  // bidi override and isolate
    ])
    func sanitizes(input: String, expected: String) {
        #expect(TerminalSafeText.sanitize(input) == expected)
    }

    @Test func sanitizedTextHoldsNoControlOrBidiScalar() {
        // Every scalar below 0xA0 and the bidi controls, each between letters.
        var hostile = ""
        for v in UInt32(0)..<0xA0 { hostile += "x" + String(Unicode.Scalar(v)!) }
        for v in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] as [UInt32] {
            hostile += String(Unicode.Scalar(v)!)
        }
        let safe = TerminalSafeText.sanitize(hostile)
        #expect(!safe.unicodeScalars.contains { TerminalSafeText.isUnsafe($0) })
    }

    @Test func printableGuardsSingleGraphemes() {
        #expect(TerminalSafeText.printable("a") == "a")
        #expect(TerminalSafeText.printable("£") == "£")
        #expect(TerminalSafeText.printable("\r\n") == "?")
        #expect(TerminalSafeText.printable("\u{9B}") == "?")
        #expect(TerminalSafeText.printable(Character("\u{202E}")) == "?")
    }
}
