import Foundation
import QLPCore
import Testing

/// The one JSON string encoder: whatever it writes, a JSON parser reads back
/// as the same text, control characters, quotes and non-ASCII included.
@Suite struct JSONTextQuotedTests {
    @Test func everyStringComesBackThroughAJSONParserUnchanged() throws {
        var samples = ["", "plain", "quote \" backslash \\ slash /", "line\nfeed\r\ttab", "caf\u{E9} \u{1F600} \u{2028}"]
        samples.append(String((0..<0x20).map { Character(Unicode.Scalar($0)!) }) + "\u{7F}")
        for text in samples {
            let encoded = JSONText.quoted(text)
            let decoded = try JSONSerialization.jsonObject(with: Data("[\(encoded)]".utf8)) as? [String]
            #expect(decoded == [text], "\(encoded)")
        }
        #expect(JSONText.quoted("a\u{1}b\n") == #""a\u0001b\n""#)
        #expect(JSONText.string("x\"y").rendered == JSONText.quoted("x\"y"))
    }
}
