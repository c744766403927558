import Foundation
import QLPTestSupport
import Testing

@testable import QLPGateway

/// The one-pass JSON reader on the request path takes exactly what
/// Foundation's JSONSerialization takes (it replaced it there) and reads the
/// same values out of it.
@Suite struct JSONOutlineTests {
    static let accepted: [String] = [
        #"{}"#, #"[]"#, #" { "a" : [ 1 , -2.5e+3 , 0 , 0.0 , 1E2 ] , "b" : { } } "#,
        #"{"s":"\u00e9\ud83d\ude00\n\t\"\\\/"}"#, "{\"k\":\"caf\u{E9} \u{1F600}\"}",
        #"{"t":true,"f":false,"n":null}"#, #"[[[[{"deep":[]}]]]]"#, #"{"mod\u0065l":"x"}"#,
    ]

    static let refused: [String] = [
        "", " ", "{", "}", #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#, #"[1,]"#, #"{"a":1}x"#, #"{a:1}"#, "{'a':1}",
        #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":1e}"#, #"{"a":-}"#, #"{"a":+1}"#, #"{"a":tru}"#,
        #"{"a":"\x"}"#, #"{"a":"\u12"}"#, #"{"a":"\ud800"}"#, #"{"a":"\udc00"}"#, "{\"a\":\"tab\there\"}",
        #"{"a":NaN}"#, #"{"a":Infinity}"#, #"{"a":"open}"#, #"{"a" "b"}"#, #"[1 2]"#,
    ]

    @Test func takesWhatRFC8259AllowsAndRefusesTheRest() {
        for text in Self.accepted {
            #expect((try? JSONOutline(Array(text.utf8))) != nil, "refused \(text)")
        }
        for text in Self.refused {
            #expect((try? JSONOutline(Array(text.utf8))) == nil, "took \(text)")
        }
        // Bad UTF-8: a lone continuation byte, an overlong '/', an encoded surrogate, a truncated sequence.
        for bad: [UInt8] in [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]] {
            let body = Array(#"{"a":""#.utf8) + bad + Array(#""}"#.utf8)
            #expect((try? JSONOutline(body)) == nil, "took \(bad)")
        }
    }

    @Test func nestingPastTheLimitIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONOutline.Malformed.self) { try JSONOutline(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect((try? JSONOutline(Array(fine.utf8))) != nil)
    }

    @Test func readsMembersStringsAndNumbersAsWritten() throws {
        let outline = try JSONOutline(
            Array(#"{"model":"gpt-4","n":2,"model":"caf\u00e9","x":{"model":"inner"},"max_tokens":1.5e3,"m\u006fdel2":[1,2]}"#.utf8))
        let model = try #require(outline.member("model", of: 0))
        #expect(outline.string(at: model) == "café")  // the last of a repeated name, escapes decoded
        #expect(outline.member("max_tokens", of: 0).flatMap(outline.numberText(at:)) == "1.5e3")
        #expect(outline.member("mode", of: 0) == nil)
        let escapedName = try #require(outline.member("model2", of: 0))
        #expect(outline.children(of: escapedName).count == 2)
        #expect(outline.children(of: 0).count == 6)
        let inner = try #require(outline.member("x", of: 0))
        #expect(outline.member("model", of: inner).flatMap(outline.string(at:)) == "inner")
    }

    /// Seeded mutations of real request bodies: whatever JSONSerialization
    /// takes as an object, the outline takes with the same model, and the reverse.
    @Test func agreesWithJSONSerializationOnMutatedBodies() throws {
        let seeds = [
            #"{"model":"gpt-4-turbo","messages":[{"role":"user","content":"Say \"hi\" \u00e9 \ud83d\ude00"}],"max_tokens":64,"stream":true}"#,
            #"{"model":"nomic-embed-text","input":["a","b"],"n":null,"temperature":0.25e-1}"#,
            "{\"model\":\"llama3:8b\",\"messages\":[{\"role\":\"system\",\"content\":\"caf\u{E9} \u{1F600}\"}],\"stop\":[\"\\n\"]}",
        ].map { Array($0.utf8) }
        let alphabet = Array(#"{}[]":,\/-+.0123456789eEtrufalsn u"#.utf8) + [0x09, 0x0A, 0x01, 0x7F, 0xC3, 0xA9, 0xED, 0xF0, 0x9F]
        var random = SeededGenerator(seed: 0x51_7C_C1_B7_27_22_0A_95)
        var compared = 0
        var bothTook = 0
        for round in 0..<6000 {
            var body = seeds[round % seeds.count]
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let at = Int(random.next() % UInt64(body.count + 1))
                switch random.next() % 3 {
                case 0 where at < body.count: body.remove(at: at)
                case 1 where at < body.count: body[at] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                default: body.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: at)
                }
            }
            // JSONSerialization also reads UTF-16 and UTF-32 (found from NULs or a byte order mark); the gateway takes UTF-8 only.
            guard !body.contains(0), !(body.first.map { $0 >= 0xEF } ?? false) else { continue }
            compared += 1
            let foundation = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
            let outline: JSONOutline?
            var trailingComma = false
            do {
                outline = try JSONOutline(body)
            } catch {
                outline = nil
                trailingComma = Self.isTrailingComma(error, in: body)
            }
            let outlineObject = outline.flatMap { $0.root.kind == .object ? $0 : nil }
            // Foundation on Linux also takes `{"a":1,}`, which RFC 8259 and the upstreams refuse: the one difference.
            #expect(
                (foundation != nil) == (outlineObject != nil) || (foundation != nil && trailingComma),
                "disagree on \(String(decoding: body, as: UTF8.self))")
            guard let foundation, let outlineObject else { continue }
            bothTook += 1
            // A repeated name is read differently by different parsers; only names that appear once are compared.
            guard foundation.count == outlineObject.children(of: 0).count else { continue }
            #expect(
                (foundation["model"] as? String) == outlineObject.member("model", of: 0).flatMap(outlineObject.string(at:)),
                "model differs in \(String(decoding: body, as: UTF8.self))")
        }
        #expect(compared > 5000 && bothTook > 300, "compared \(compared), both took \(bothTook)")
    }

    /// Whether the outline refused `body` at a closing bracket right after a comma.
    static func isTrailingComma(_ error: JSONOutline.Malformed, in body: [UInt8]) -> Bool {
        guard error.offset < body.count, body[error.offset] == UInt8(ascii: "}") || body[error.offset] == UInt8(ascii: "]") else {
            return false
        }
        return body[..<error.offset].last { ![0x20, 0x0A, 0x0D, 0x09].contains($0) } == UInt8(ascii: ",")
    }
}
