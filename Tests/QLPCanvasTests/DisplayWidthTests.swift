import Testing

@testable import QLPCanvas

struct DisplayWidthTests {
    @Test(
        arguments: [
            ("a", 1), ("~", 1), ("£", 1), ("é", 1), ("e\u{301}", 1),  // precomposed and combining é
            ("日", 2), ("語", 2), ("한", 2), ("Ａ", 2),  // CJK, Hangul, fullwidth
            ("👍", 2), ("✅", 2), ("🇬🇧", 2), ("👨‍👩‍👧", 2),  // emoji, flag, ZWJ family
            ("⚠", 1), ("⚠\u{FE0F}", 2),  // text vs emoji presentation
            ("\u{301}", 0), ("\u{200B}", 0), ("\u{7}", 0),  // lone mark, zero-width space, BEL
            ("─", 1), ("█", 1), ("▏", 1), ("…", 1),  // the glyph set is narrow
        ] as [(Character, Int)])
    func graphemeWidth(_ grapheme: Character, _ expected: Int) {
        #expect(DisplayWidth.of(grapheme) == expected)
    }

    @Test func stringWidthAddsGraphemes() {
        #expect(DisplayWidth.of("hello") == 5)
        #expect(DisplayWidth.of("£1,234.56") == 9)
        #expect(DisplayWidth.of("東京 region") == 11)
        #expect(DisplayWidth.of("cafe\u{301}") == 4)
        #expect(DisplayWidth.of("") == 0)
    }

    @Test func truncateKeepsTextThatFits() {
        #expect(DisplayWidth.truncate("abcdef", to: 6) == "abcdef")
        #expect(DisplayWidth.truncate("abcdef", to: 60) == "abcdef")
        #expect(DisplayWidth.truncate("日本", to: 4) == "日本")
    }

    @Test func truncateCutsOneCellShortAndAddsEllipsis() {
        #expect(DisplayWidth.truncate("abcdef", to: 5) == "abcd…")
        #expect(DisplayWidth.truncate("abcdef", to: 2) == "a…")
        #expect(DisplayWidth.truncate("abcdef", to: 1) == "…")
        #expect(DisplayWidth.truncate("abcdef", to: 4, ellipsis: "~") == "abc~")
    }

    @Test func truncateWithNoRoomGivesNothing() {
        #expect(DisplayWidth.truncate("abc", to: 0) == "")
        #expect(DisplayWidth.truncate("abc", to: -3) == "")
    }

    @Test func truncateNeverSplitsAWideGrapheme() {
        // 6 cells into 5: "日本" (4) + "…" (1).
        #expect(DisplayWidth.truncate("日本語", to: 5) == "日本…")
        // Into 4: "日本" + "…" would be 5, so only "日" fits before the ellipsis.
        #expect(DisplayWidth.truncate("日本語", to: 4) == "日…")
        #expect(DisplayWidth.of(DisplayWidth.truncate("日本語", to: 4)) == 3)
    }

    @Test func truncateCountsCellsNotCharacters() {
        // "£" is two bytes in UTF-8 but one cell: 9 cells fit exactly.
        #expect(DisplayWidth.truncate("£1,234.56", to: 9) == "£1,234.56")
        #expect(DisplayWidth.truncate("£1,234.56", to: 8) == "£1,234.…")
    }

    @Test func padFillsToExactWidth() {
        #expect(DisplayWidth.pad("ab", to: 5) == "ab   ")
        #expect(DisplayWidth.pad("ab", to: 5, alignRight: true) == "   ab")
        #expect(DisplayWidth.pad("abcde", to: 5) == "abcde")
        #expect(DisplayWidth.pad("abcdef", to: 5) == "abcd…")
        #expect(DisplayWidth.pad("abcdef", to: 5, alignRight: true) == "abcd…")
    }

    @Test func padAfterCuttingWideTextAddsTheMissingCell() {
        let padded = DisplayWidth.pad("日本語", to: 4)
        #expect(padded == "日… ")
        #expect(DisplayWidth.of(padded) == 4)
    }
}

@Suite struct WrapTests {
    @Test func breaksAtSpacesAndSplitsOnlyOverlongWords() {
        #expect(DisplayWidth.wrap("the quick brown fox", to: 9) == ["the quick", "brown fox"])
        #expect(
            DisplayWidth.wrap("http://127.0.0.1:4010/subscriptions/x", to: 10) == ["http://127", ".0.0.1:401", "0/subscrip", "tions/x"])
        #expect(DisplayWidth.wrap("a  b", to: 10) == ["a b"])
        #expect(DisplayWidth.wrap("", to: 10) == [])
        #expect(DisplayWidth.wrap("日本語テキスト", to: 4) == ["日本", "語テ", "キス", "ト"])
    }
}
