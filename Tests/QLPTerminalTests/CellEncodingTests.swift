import Testing

@testable import QLPTerminal

struct CellEncodingTests {
    private func encoded(_ c: Character, unicode: Bool = true) -> [UInt32] {
        var buffer = [Int32](repeating: 7, count: CellEncoding.bufferSize)
        CellEncoding.encode(c, unicode: unicode, into: &buffer)
        return Array(buffer.prefix { $0 != 0 }).map { UInt32(bitPattern: $0) }
    }

    @Test func asciiAndUnicode() {
        #expect(encoded("a") == [0x61])
        #expect(encoded("£") == [0xA3])
        #expect(encoded("e\u{301}") == [0x65, 0x301])
        #expect(encoded("日") == [0x65E5])
    }

    @Test func controlsBecomeQuestionMarks() {
        #expect(encoded("\u{1B}") == [0x3F])
        #expect(encoded("\r\n") == [0x3F])
        #expect(encoded("\u{9B}") == [0x3F])
        #expect(encoded("\u{7F}") == [0x3F])
    }

    @Test func nonAsciiInAnAsciiLocaleBecomesQuestionMark() {
        #expect(encoded("£", unicode: false) == [0x3F])
        #expect(encoded("a", unicode: false) == [0x61])
    }

    @Test func loneCombiningMarkBecomesSpace() {
        #expect(encoded("\u{301}") == [0x20])
    }

    @Test func longClusterKeepsItsBase() {
        #expect(encoded("👨‍👩‍👧") == [0x1F468])
        #expect(encoded("🇬🇧") == [0x1F1EC])
        #expect(encoded("❤\u{FE0F}") == [0x2764, 0xFE0F])
    }
}
