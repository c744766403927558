import NIOCore
import Testing

@testable import QLPRedis

@Suite struct RESPDecodingTests {
    private func decodeAll(_ text: String) throws -> [RESPValue] {
        var buffer = ByteBuffer(string: text)
        var values: [RESPValue] = []
        while let value = try RESPValue.decode(from: &buffer) { values.append(value) }
        #expect(buffer.readableBytes == 0, "left over: \(buffer.readableBytes) bytes")
        return values
    }

    @Test func resp2Types() throws {
        #expect(
            try decodeAll("+OK\r\n-ERR bad\r\n:-42\r\n$5\r\nhello\r\n$-1\r\n$0\r\n\r\n*-1\r\n*0\r\n") == [
                .simpleString("OK"), .error("ERR bad"), .integer(-42), .bulk("hello"), .bulkString(nil), .bulk(""),
                .array(nil), .array([]),
            ])
    }

    @Test func nestedArraysAndBinaryBulk() throws {
        let text = "*3\r\n:1\r\n*2\r\n$4\r\na\r\nb\r\n$-1\r\n+x\r\n"
        #expect(try decodeAll(text) == [.array([.integer(1), .array([.bulk("a\r\nb"), .bulkString(nil)]), .simpleString("x")])])
    }

    @Test func partialFramesConsumeNothingUntilWhole() throws {
        let whole = "*2\r\n$5\r\nhello\r\n:7\r\n"
        for cut in 0..<whole.utf8.count {
            var buffer = ByteBuffer(string: String(whole.utf8.prefix(cut))!)
            #expect(try RESPValue.decode(from: &buffer) == nil, "cut at \(cut)")
            #expect(buffer.readableBytes == cut)
            buffer.writeString(String(whole.utf8.dropFirst(cut))!)
            #expect(try RESPValue.decode(from: &buffer) == .array([.bulk("hello"), .integer(7)]))
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test func resp3TypesFoldIntoResp2() throws {
        #expect(
            try decodeAll(
                "_\r\n#t\r\n#f\r\n,3.5\r\n(123456789012345678901\r\n!5\r\nERR x\r\n=8\r\ntxt:abcd\r\n%1\r\n+k\r\n:1\r\n~1\r\n:2\r\n>2\r\n+message\r\n+m\r\n|1\r\n+a\r\n+b\r\n:9\r\n"
            ) == [
                .bulkString(nil), .integer(1), .integer(0), .bulk("3.5"), .bulk("123456789012345678901"), .error("ERR x"),
                .bulk("abcd"), .array([.simpleString("k"), .integer(1)]), .array([.integer(2)]),
                .array([.simpleString("message"), .simpleString("m")]), .integer(9),
            ])
    }

    @Test(arguments: [
        ("?x\r\n", "unknown type byte 0x3f"),
        (":12a\r\n", "is not an integer"),
        ("$3\r\nabcd\r\n", "not followed by CR LF"),
        ("$-2\r\n", "out of range"),
        ("*99999999999\r\n", "out of range"),
        ("+OK\rX", "CR not followed by LF"),
        (String(repeating: "*1\r\n", count: 40) + ":1\r\n", "nested deeper"),
    ])
    func malformedRepliesSayWhy(text: String, expected: String) {
        var buffer = ByteBuffer(string: text)
        #expect {
            _ = try RESPValue.decode(from: &buffer)
        } throws: { error in
            (error as? RESPDecodingError)?.detail.contains(expected) == true
        }
    }

    @Test func commandsAreArraysOfBulkStrings() throws {
        var buffer = ByteBuffer()
        RESPValue.encodeCommand(["SET", "k", "välue"], into: &buffer)
        #expect(String(buffer: buffer) == "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\nvälue\r\n")
        #expect(try RESPValue.decode(from: &buffer) == .array([.bulk("SET"), .bulk("k"), .bulk("välue")]))
    }

    @Test func encodeThenDecodeIsIdentity() throws {
        let value = RESPValue.array([
            .simpleString("OK"), .error("ERR e"), .integer(3), .bulkString(nil), .array(nil), .array([.bulk("x")]),
        ])
        var buffer = ByteBuffer()
        value.encode(into: &buffer)
        #expect(try RESPValue.decode(from: &buffer) == value)
    }

    @Test func accessors() {
        #expect(RESPValue.bulk("12").int == 12)
        #expect(RESPValue.simpleString("OK").string == "OK")
        #expect(RESPValue.bulkString(nil).string == nil)
        #expect(RESPValue.bulkString([0xff]).string == nil)
        #expect(RESPValue.integer(5).string == nil)
    }

    @Test func scriptSha1MatchesRedis() {
        // redis-cli SCRIPT LOAD "return 1"
        #expect(RedisScript("return 1").sha1 == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")
    }
}
