import CNcursesw
import Testing

@testable import QLPTerminal

struct KeyDecoderTests {
    @Test func timeoutIsNil() {
        #expect(KeyDecoder.decode(status: ERR, value: 0) == nil)
    }

    @Test(arguments: [
        (UInt32(0x61), Key.character("a")), (0xE9, .character("é")), (0x65E5, .character("日")),
        (0x20, .character(" ")), (27, .escape), (13, .enter), (10, .enter), (9, .tab), (127, .backspace),
        (8, .backspace), (1, .control("a")), (12, .control("l")), (26, .control("z")), (0, .unknown(0)),
        (0x9B, .unknown(0x9B)),
    ])
    func characters(_ value: UInt32, _ key: Key) {
        #expect(KeyDecoder.decode(status: OK, value: value) == key)
    }

    @Test func functionKeys() {
        let pairs: [(Int32, Key)] = [
            (KEY_UP, .up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right),
            (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown), (KEY_HOME, .home), (KEY_END, .end),
            (KEY_IC, .insert), (KEY_DC, .delete), (KEY_BTAB, .backTab), (KEY_BACKSPACE, .backspace),
            (KEY_ENTER, .enter), (KEY_RESIZE, .resize), (KEY_F0 + 1, .function(1)), (KEY_F0 + 12, .function(12)),
            (KEY_F0 + 13, .unknown(Int(KEY_F0 + 13))), (KEY_FIND, .home), (KEY_SELECT, .end),
        ]
        for (code, key) in pairs {
            #expect(KeyDecoder.decode(status: KEY_CODE_YES, value: UInt32(code)) == key)
        }
    }
}
