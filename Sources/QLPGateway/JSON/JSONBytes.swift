import QLPCore

/// Byte-level reading of JSON the gateway has already validated, so that the
/// hot path can find or replace one value without decoding and re-encoding a
/// whole body. Every function assumes well-formed JSON and returns nil when
/// what it looks for is not where it expects; callers then fall back to a
/// full parse.
enum JSONBytes {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    static func skipSpace(_ bytes: [UInt8], _ i: Int) -> Int {
        var i = i
        while i < bytes.count, isSpace(bytes[i]) { i += 1 }
        return i
    }

    /// The index just past the string token that starts at `i` (a quote).
    static func endOfString(_ bytes: [UInt8], _ i: Int) -> Int? {
        var i = i + 1
        while i < bytes.count {
            switch bytes[i] {
            case backslash: i += 2
            case quote: return i + 1
            default: i += 1
            }
        }
        return nil
    }

    /// The index just past the value that starts at `i`.
    static func endOfValue(_ bytes: [UInt8], _ i: Int) -> Int? {
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case quote:
            return endOfString(bytes, i)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var j = i
            while j < bytes.count {
                switch bytes[j] {
                case quote:
                    guard let end = endOfString(bytes, j) else { return nil }
                    j = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return j + 1 }
                default: break
                }
                j += 1
            }
            return nil
        default:
            var j = i
            while j < bytes.count, !isSpace(bytes[j]), bytes[j] != UInt8(ascii: ","), bytes[j] != UInt8(ascii: "}"),
                bytes[j] != UInt8(ascii: "]")
            { j += 1 }
            return j
        }
    }

    /// Ranges of the values of every top-level member named `key` (whose name
    /// is written without escapes), in order. Nil when `bytes` is not an object.
    static func topLevelValues(named key: String, in bytes: [UInt8]) -> [Range<Int>]? {
        let name = Array(key.utf8)
        var i = skipSpace(bytes, 0)
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
        i = skipSpace(bytes, i + 1)
        var found: [Range<Int>] = []
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "}") { return found }
            guard bytes[i] == quote, let keyEnd = endOfString(bytes, i) else { return nil }
            let matches = keyEnd - i - 2 == name.count && bytes[(i + 1)..<(keyEnd - 1)].elementsEqual(name)
            i = skipSpace(bytes, keyEnd)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            i = skipSpace(bytes, i + 1)
            guard let valueEnd = endOfValue(bytes, i) else { return nil }
            if matches { found.append(i..<valueEnd) }
            i = skipSpace(bytes, valueEnd)
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: ",") { i = skipSpace(bytes, i + 1) }
        }
        return nil
    }

    /// `bytes` with every top-level `model` value replaced by `model` as a JSON
    /// string; nil when there is none written plainly (the caller re-encodes).
    static func replacingTopLevelModel(in bytes: [UInt8], with model: String) -> [UInt8]? {
        guard let ranges = topLevelValues(named: "model", in: bytes), !ranges.isEmpty else { return nil }
        let replacement = Array(JSONText.quoted(model).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + replacement.count)
        var last = 0
        for range in ranges {
            out.append(contentsOf: bytes[last..<range.lowerBound])
            out.append(contentsOf: replacement)
            last = range.upperBound
        }
        out.append(contentsOf: bytes[last...])
        return out
    }

    /// The range of the object value of the last member named `key` anywhere
    /// in `bytes` (`"usage": {...}`), skipping `"usage": null`.
    static func lastObject(named key: String, in bytes: [UInt8]) -> Range<Int>? {
        let pattern = Array("\"\(key)\"".utf8)
        guard bytes.count >= pattern.count else { return nil }
        var start = bytes.count - pattern.count
        while start >= 0 {
            if bytes[start] == quote, bytes[start..<(start + pattern.count)].elementsEqual(pattern) {
                var i = skipSpace(bytes, start + pattern.count)
                if i < bytes.count, bytes[i] == UInt8(ascii: ":") {
                    i = skipSpace(bytes, i + 1)
                    if i < bytes.count, bytes[i] == UInt8(ascii: "{"), let end = endOfValue(bytes, i) { return i..<end }
                }
            }
            start -= 1
        }
        return nil
    }
}
