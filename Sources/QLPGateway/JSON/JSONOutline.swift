/// A JSON document checked and mapped in one pass over its bytes, without
/// building a value for it: every value's kind and place, so the gateway can
/// read the few members it needs (`model`, `stream`, `max_tokens`, `usage`)
/// and forward the body as it came. It takes what RFC 8259 allows and refuses
/// the rest, as Foundation's JSONSerialization does: bad UTF-8, control
/// characters and lone surrogates in strings, leading zeros, anything after
/// the value, nesting deeper than `maxDepth`; and, unlike Foundation on Linux,
/// a trailing comma (`{"a":1,}`), which the upstreams refuse too.
///
/// Values are numbered in document order; a container's members or elements
/// follow it, and `after` skips a value with everything inside it.
struct JSONOutline {
    enum Kind: UInt8, Sendable {
        case object, array, string, number, `true`, `false`, null
    }

    struct Value {
        var kind: Kind
        /// The value's bytes (a string's quotes included).
        var range: Range<Int>
        /// For an object's member, its name's bytes (inside the quotes, escapes as written).
        var name: Range<Int>?
        var nameHasEscapes = false
        /// The index of the first value that is not inside this one.
        var after: Int
    }

    /// Why a document was refused, and the byte where that was found.
    struct Malformed: Error, Equatable {
        var offset: Int
        var reason: String
    }

    static let maxDepth = 512

    let bytes: [UInt8]
    private(set) var values: [Value] = []

    init(_ bytes: [UInt8]) throws(Malformed) {
        self.bytes = bytes
        values.reserveCapacity(32)
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        try parseValue(&reader, name: nil, nameHasEscapes: false, depth: 0)
        reader.skipSpace()
        guard reader.at == bytes.count else { throw Malformed(offset: reader.at, reason: "unexpected data after the JSON value") }
    }

    /// The document's value.
    var root: Value { values[0] }

    /// The indexes of a container's members or elements, in order.
    func children(of index: Int) -> [Int] {
        var out: [Int] = []
        var child = index + 1
        while child < values[index].after {
            out.append(child)
            child = values[child].after
        }
        return out
    }

    /// The index of the last member called `name` of the object at `index`
    /// (the last, as JavaScript and Python read a repeated name); nil when none.
    func member(_ name: String, of index: Int) -> Int? {
        guard values[index].kind == .object else { return nil }
        var found: Int?
        var child = index + 1
        while child < values[index].after {
            let value = values[child]
            if let range = value.name,
                value.nameHasEscapes ? decodedString(inside: range) == name : bytes[range].elementsEqual(name.utf8)
            {
                found = child
            }
            child = value.after
        }
        return found
    }

    /// The string at `index`, escapes decoded; nil when it is not a string.
    func string(at index: Int) -> String? {
        let value = values[index]
        guard value.kind == .string else { return nil }
        return decodedString(inside: (value.range.lowerBound + 1)..<(value.range.upperBound - 1))
    }

    /// The number at `index` as written (`12`, `1.5e3`); nil when it is not a number.
    func numberText(at index: Int) -> Substring? {
        let value = values[index]
        guard value.kind == .number else { return nil }
        return Substring(decoding: bytes[value.range], as: UTF8.self)
    }

    /// A string's contents (between its quotes), already checked, with its escapes decoded.
    private func decodedString(inside range: Range<Int>) -> String {
        guard bytes[range].contains(Reader.backslash) else { return String(decoding: bytes[range], as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let byte = bytes[i]
            guard byte == Reader.backslash else {
                out.append(byte)
                i += 1
                continue
            }
            let escape = bytes[i + 1]
            i += 2
            switch escape {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = Reader.hex4(bytes, i)!
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // Checked when read: a low surrogate escape follows.
                    let low = Reader.hex4(bytes, i + 2)!
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            default: out.append(escape)  // " \ /
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: reading

    private mutating func parseValue(_ reader: inout Reader, name: Range<Int>?, nameHasEscapes: Bool, depth: Int) throws(Malformed) {
        guard let byte = reader.peek else { throw reader.malformed("the document ends where a value was expected") }
        let start = reader.at
        let index = values.count
        values.append(Value(kind: .null, range: start..<start, name: name, nameHasEscapes: nameHasEscapes, after: index + 1))
        let kind: Kind
        switch byte {
        case UInt8(ascii: "{"):
            kind = .object
            guard depth < Self.maxDepth else { throw reader.malformed("nested deeper than \(Self.maxDepth) levels") }
            if reader.opens(closedBy: UInt8(ascii: "}")) {
                repeat {
                    guard reader.peek == Reader.quote else { throw reader.malformed("expected a member name in quotes") }
                    let (contents, escaped) = try reader.readString()
                    reader.skipSpace()
                    guard reader.peek == UInt8(ascii: ":") else { throw reader.malformed("expected ':' after a member name") }
                    reader.at += 1
                    reader.skipSpace()
                    try parseValue(&reader, name: contents, nameHasEscapes: escaped, depth: depth + 1)
                } while try reader.continues(closedBy: UInt8(ascii: "}"))
            }
        case UInt8(ascii: "["):
            kind = .array
            guard depth < Self.maxDepth else { throw reader.malformed("nested deeper than \(Self.maxDepth) levels") }
            if reader.opens(closedBy: UInt8(ascii: "]")) {
                repeat {
                    try parseValue(&reader, name: nil, nameHasEscapes: false, depth: depth + 1)
                } while try reader.continues(closedBy: UInt8(ascii: "]"))
            }
        case Reader.quote:
            kind = .string
            _ = try reader.readString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            kind = .number
            try reader.readNumber()
        case UInt8(ascii: "t"):
            kind = .true
            try reader.readLiteral("true")
        case UInt8(ascii: "f"):
            kind = .false
            try reader.readLiteral("false")
        case UInt8(ascii: "n"):
            kind = .null
            try reader.readLiteral("null")
        default:
            throw reader.malformed("unexpected character where a value was expected")
        }
        values[index].kind = kind
        values[index].range = start..<reader.at
        values[index].after = values.count
    }

    /// A position in the document and the token readers.
    private struct Reader {
        static let quote = UInt8(ascii: "\"")
        static let backslash = UInt8(ascii: "\\")

        let bytes: [UInt8]
        var at = 0

        var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

        func malformed(_ reason: String) -> Malformed { Malformed(offset: at, reason: reason) }

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x0A, 0x0D, 0x09: at += 1
                default: return
                }
            }
        }

        /// Steps into a container at its opening bracket: false when it closes at once (`{}`, `[]`).
        mutating func opens(closedBy close: UInt8) -> Bool {
            at += 1
            skipSpace()
            guard peek == close else { return true }
            at += 1
            return false
        }

        /// After a member or element: true when a comma says another follows, false past the container's close.
        mutating func continues(closedBy close: UInt8) throws(Malformed) -> Bool {
            skipSpace()
            if peek == UInt8(ascii: ",") {
                at += 1
                skipSpace()
                return true
            }
            guard peek == close else {
                throw malformed(close == UInt8(ascii: "}") ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array")
            }
            at += 1
            return false
        }

        mutating func readLiteral(_ word: StaticString) throws(Malformed) {
            let count = word.utf8CodeUnitCount
            guard at + count <= bytes.count,
                word.withUTF8Buffer({ bytes[at..<(at + count)].elementsEqual($0) })
            else { throw malformed("unexpected character where a value was expected") }
            at += count
        }

        mutating func readNumber() throws(Malformed) {
            if bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard let first = peek, Self.isDigit(first) else { throw malformed("a number needs a digit") }
            at += 1
            if first == UInt8(ascii: "0") {
                if let next = peek, Self.isDigit(next) { throw malformed("a number cannot start with 0") }
            } else {
                while let next = peek, Self.isDigit(next) { at += 1 }
            }
            if peek == UInt8(ascii: ".") {
                at += 1
                guard let next = peek, Self.isDigit(next) else { throw malformed("a fraction needs a digit") }
                while let next = peek, Self.isDigit(next) { at += 1 }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                at += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { at += 1 }
                guard let next = peek, Self.isDigit(next) else { throw malformed("an exponent needs a digit") }
                while let next = peek, Self.isDigit(next) { at += 1 }
            }
        }

        /// Reads a string starting at its opening quote; its contents' range and whether it has escapes.
        mutating func readString() throws(Malformed) -> (Range<Int>, Bool) {
            at += 1
            let start = at
            var escaped = false
            while at < bytes.count {
                let byte = bytes[at]
                switch byte {
                case Self.quote:
                    at += 1
                    return (start..<(at - 1), escaped)
                case Self.backslash:
                    escaped = true
                    try readEscape()
                case 0..<0x20:
                    throw malformed("a control character inside a string must be escaped")
                case 0x80...:
                    try readUTF8Sequence()
                default:
                    at += 1
                }
            }
            throw malformed("a string is not closed")
        }

        private mutating func readEscape() throws(Malformed) {
            guard at + 1 < bytes.count else { throw malformed("a string is not closed") }
            switch bytes[at + 1] {
            case Self.quote, Self.backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                UInt8(ascii: "r"), UInt8(ascii: "t"):
                at += 2
            case UInt8(ascii: "u"):
                guard let scalar = Self.hex4(bytes, at + 2) else { throw malformed("\\u needs four hex digits") }
                at += 6
                switch scalar {
                case 0xD800..<0xDC00:
                    guard at + 1 < bytes.count, bytes[at] == Self.backslash, bytes[at + 1] == UInt8(ascii: "u"),
                        let low = Self.hex4(bytes, at + 2), (0xDC00..<0xE000).contains(low)
                    else { throw malformed("a high surrogate escape without its low surrogate") }
                    at += 6
                case 0xDC00..<0xE000:
                    throw malformed("a low surrogate escape without its high surrogate")
                default: break
                }
            default:
                throw malformed("an unknown escape in a string")
            }
        }

        /// One multi-byte UTF-8 sequence as RFC 3629 allows it (no overlong forms, surrogates or values past U+10FFFF).
        private mutating func readUTF8Sequence() throws(Malformed) {
            let lead = bytes[at]
            let count: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: count = 2
            case 0xE0:
                count = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: count = 3
            case 0xED:
                count = 3
                high = 0x9F
            case 0xF0:
                count = 4
                low = 0x90
            case 0xF1...0xF3: count = 4
            case 0xF4:
                count = 4
                high = 0x8F
            default: throw malformed("the text is not valid UTF-8")
            }
            guard at + count <= bytes.count, (low...high).contains(bytes[at + 1]) else {
                throw malformed("the text is not valid UTF-8")
            }
            for offset in 2..<count where !(0x80...0xBF).contains(bytes[at + offset]) {
                throw malformed("the text is not valid UTF-8")
            }
            at += count
        }

        static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

        static func hex4(_ bytes: [UInt8], _ at: Int) -> UInt32? {
            guard at + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for byte in bytes[at..<(at + 4)] {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
    }
}
