import Testing

@testable import QLPCanvas

/// Text from outside is measured, cut and wrapped as it will be shown (inert),
/// not as it arrived: a hostile name is laid out by the cells it takes on
/// screen, and cutting it never leaves half an escape sequence to swallow the rest.
struct OutsideTextWidthTests {
    /// Shown as "Evil?Name": the OSC and CSI go whole, the BEL is a `?`.
    static let hostile = "\u{1B}]0;PWNED\u{07}Evil\u{9B}2J\u{07}\u{1B}[2JName"

    @Test func widthIsTheWidthShown() {
        #expect(DisplayWidth.of(Self.hostile) == DisplayWidth.of("Evil?Name"))
        #expect(DisplayWidth.of("plain £ 日本") == 12)  // unchanged for text without controls
    }

    @Test func cutAfterMakingInertSoTheEllipsisSurvives() {
        // Cut raw, the OSC's BEL would go and the open OSC swallow the rest.
        #expect(DisplayWidth.truncate(Self.hostile, to: 6) == "Evil?…")
        #expect(DisplayWidth.truncate(Self.hostile, to: 9) == "Evil?Name")
        #expect(DisplayWidth.pad(Self.hostile, to: 12) == "Evil?Name   ")
    }

    @Test func wrappedLinesHoldNoSequence() {
        let lines = DisplayWidth.wrap("error \(Self.hostile) and \u{1B}]0;title\u{07}more", to: 10)
        #expect(lines == ["error", "Evil?Name", "and more"])
    }

    @Test func aColumnSizedFromAHostileNameShowsItWhole() {
        var canvas = Canvas(size: Size(width: 20, height: 1))
        canvas.put(Self.hostile, x: 0, y: 0, width: min(24, DisplayWidth.of(Self.hostile)))
        canvas.put("|", x: DisplayWidth.of(Self.hostile), y: 0)
        #expect(canvas.lines == ["Evil?Name|"])
    }
}
