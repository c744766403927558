import Foundation
import QLPCore

/// Parsers for the few kinds of values a cost row holds, on raw bytes so that
/// a file of hundreds of thousands of rows imports in well under a second.
enum ImportValues {
    private static let zero = UInt8(ascii: "0")
    private static let nine = UInt8(ascii: "9")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    // MARK: Money

    /// An exact decimal from a plain literal: optional sign, digits with at
    /// most one point, optional exponent ("1.5E-05", which some exports
    /// write). Surrounding spaces are allowed. Never goes through Double.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Decimal? {
        var i = 0
        var end = bytes.count
        while i < end && (bytes[i] == space || bytes[i] == tab) { i += 1 }
        while end > i && (bytes[end - 1] == space || bytes[end - 1] == tab) { end -= 1 }
        guard i < end else { return nil }
        let textStart = i

        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        // Significant digits go into `mantissa` with trailing zeros held back
        // in `pendingZeros`, so "0.00150000" is 15 x 10^-4 and long literals
        // with few significant digits still take the fast path.
        var mantissa: UInt64 = 0
        var significant = 0
        var pendingZeros = 0
        var exponent = 0
        var digits = 0
        var tooLong = false
        var inFraction = false
        while i < end {
            let byte = bytes[i]
            if byte >= zero && byte <= nine {
                digits += 1
                if inFraction { exponent -= 1 }
                let digit = UInt64(byte - zero)
                if digit == 0 {
                    if significant > 0 { pendingZeros += 1 }
                } else if significant + pendingZeros + 1 > 19 {
                    tooLong = true
                } else {
                    for _ in 0..<pendingZeros { mantissa &*= 10 }
                    mantissa = mantissa &* 10 &+ digit
                    significant += pendingZeros + 1
                    pendingZeros = 0
                }
            } else if byte == UInt8(ascii: "."), !inFraction {
                inFraction = true
            } else {
                break
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        if i < end {
            guard bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") else { return nil }
            i += 1
            var exponentNegative = false
            if i < end && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var written = 0
            var exponentDigits = 0
            while i < end && bytes[i] >= zero && bytes[i] <= nine {
                written = written * 10 + Int(bytes[i] - zero)
                exponentDigits += 1
                guard exponentDigits <= 4 else { return nil }
                i += 1
            }
            guard exponentDigits > 0, i == end else { return nil }
            exponent += exponentNegative ? -written : written
        }
        if tooLong {
            // More than 19 significant digits: valid syntax (checked above),
            // so let Foundation read it; Decimal holds 38 digits exactly.
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[textStart..<end]), as: UTF8.self)
            return Decimal(string: text)
        }
        if mantissa == 0 { return 0 }
        exponent += pendingZeros
        guard exponent >= -128 && exponent <= 127 else { return nil }
        return Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(mantissa))
    }

    // MARK: Dates

    /// The UTC day of an ISO 8601 date or date-time: "2024-09-01",
    /// "2024-09-01T00:00:00Z", "2024-09-01T00:00:00.000Z", "2024-09-01 00:00:00"
    /// (the FOCUS sample), "2024-09-01T01:00:00+02:00" (converted to UTC).
    static func isoDay(_ bytes: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        var i = 0
        var end = bytes.count
        while i < end && bytes[i] == space { i += 1 }
        while end > i && bytes[end - 1] == space { end -= 1 }
        guard end - i >= 10,
            let year = number(bytes, i, 4), bytes[i + 4] == UInt8(ascii: "-"),
            let month = number(bytes, i + 5, 2), bytes[i + 7] == UInt8(ascii: "-"),
            let dayOfMonth = number(bytes, i + 8, 2),
            let date = CivilDate(year: year, month: month, day: dayOfMonth)
        else { return nil }
        i += 10
        if i == end { return date }
        guard bytes[i] == UInt8(ascii: "T") || bytes[i] == space else { return nil }
        i += 1
        guard end - i >= 5, let hour = number(bytes, i, 2), bytes[i + 2] == UInt8(ascii: ":"),
            let minute = number(bytes, i + 3, 2), hour < 24, minute < 60
        else { return nil }
        i += 5
        if i < end && bytes[i] == UInt8(ascii: ":") {
            guard end - i >= 3, let second = number(bytes, i + 1, 2), second <= 60 else { return nil }
            i += 3
            if i < end && (bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ",")) {
                i += 1
                let fractionStart = i
                while i < end && bytes[i] >= zero && bytes[i] <= nine { i += 1 }
                guard i > fractionStart else { return nil }
            }
        }
        if i == end { return date }  // no zone: UTC, as FOCUS says charge periods are
        if bytes[i] == UInt8(ascii: "Z") || bytes[i] == UInt8(ascii: "z") {
            return i + 1 == end ? date : nil
        }
        guard bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") else { return nil }
        let sign = bytes[i] == UInt8(ascii: "-") ? -1 : 1
        i += 1
        guard end - i >= 2, let offsetHours = number(bytes, i, 2) else { return nil }
        i += 2
        var offsetMinutes = 0
        if i < end {
            if bytes[i] == UInt8(ascii: ":") { i += 1 }
            guard end - i == 2, let minutes = number(bytes, i, 2) else { return nil }
            offsetMinutes = minutes
        }
        guard offsetHours <= 18, offsetMinutes < 60 else { return nil }
        let utcMinutes = hour * 60 + minute - sign * (offsetHours * 60 + offsetMinutes)
        let shift = utcMinutes < 0 ? -1 : (utcMinutes >= 1440 ? 1 : 0)
        return shift == 0 ? date : date.adding(days: shift)
    }

    /// An Azure export's Date: MM/DD/YYYY (one-digit month or day allowed,
    /// and a trailing time of day ignored), or an ISO date.
    static func exportDay(_ bytes: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        var i = 0
        var end = bytes.count
        while i < end && bytes[i] == space { i += 1 }
        while end > i && bytes[end - 1] == space { end -= 1 }
        guard end - i >= 8 else { return nil }
        if number(bytes, i, 4) != nil, bytes[i + 4] == UInt8(ascii: "-") {
            return isoDay(UnsafeBufferPointer(rebasing: bytes[i..<end]))
        }
        func component(maxDigits: Int) -> Int? {
            var value = 0
            var count = 0
            while i < end, bytes[i] >= zero, bytes[i] <= nine, count < maxDigits {
                value = value * 10 + Int(bytes[i] - zero)
                count += 1
                i += 1
            }
            return count > 0 ? value : nil
        }
        guard let month = component(maxDigits: 2), i < end, bytes[i] == UInt8(ascii: "/") else { return nil }
        i += 1
        guard let dayOfMonth = component(maxDigits: 2), i < end, bytes[i] == UInt8(ascii: "/") else { return nil }
        i += 1
        let yearStart = i
        guard let year = component(maxDigits: 4), i - yearStart == 4 else { return nil }
        if i < end {
            // "09/04/2023 00:00:00" or "9/4/2023 12:00:00 AM": the day is what counts.
            guard bytes[i] == space else { return nil }
            for byte in UnsafeBufferPointer(rebasing: bytes[i..<end]) {
                guard
                    (byte >= zero && byte <= nine) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
                        || byte == space || byte == UInt8(ascii: "A") || byte == UInt8(ascii: "P")
                        || byte == UInt8(ascii: "M")
                else { return nil }
            }
        }
        return CivilDate(year: year, month: month, day: dayOfMonth)
    }

    @inline(__always)
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ width: Int) -> Int? {
        guard start + width <= bytes.count else { return nil }
        var value = 0
        for k in start..<(start + width) {
            let byte = bytes[k]
            guard byte >= zero && byte <= nine else { return nil }
            value = value * 10 + Int(byte - zero)
        }
        return value
    }

    // MARK: Currency

    /// An ISO 4217 code is three letters.
    static func isCurrencyCode(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count == 3 && bytes.allSatisfy { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }
    }

    // MARK: Resource ids

    /// NAME from ".../resourceGroups/NAME/..." (any case), if there is one.
    static func resourceGroup(inResourceId bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let marker = resourceGroupsMarker
        let count = bytes.count
        var i = 0
        search: while i + marker.count < count {
            for k in 0..<marker.count where lowercased(bytes[i + k]) != marker[k] {
                i += 1
                continue search
            }
            let start = i + marker.count
            var stop = start
            while stop < count && bytes[stop] != UInt8(ascii: "/") { stop += 1 }
            guard stop > start else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self)
        }
        return nil
    }

    private static let resourceGroupsMarker: [UInt8] = Array("/resourcegroups/".utf8)

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// The last segment of a resource id ("/subscriptions/.../vaults/NAME" -> NAME);
    /// nil when the id ends in "/" (the EA reservation purchase row does).
    static func lastSegment(ofResourceId bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var start = bytes.count
        while start > 0 && bytes[start - 1] != UInt8(ascii: "/") { start -= 1 }
        guard start < bytes.count else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)
    }

    // MARK: Tags

    /// Tags as a JSON object of strings: `{"env": "prod"}`, or the body of one
    /// without braces as EA exports write it (`"env": "prod","org": "trey"`).
    /// A value that is not a string keeps its JSON text (`3`, `true`, `null`).
    /// Throws a short reason when the text is not such an object.
    static func tags(_ bytes: UnsafeBufferPointer<UInt8>) throws(TagSyntaxError) -> [String: String] {
        var parser = TagParser(bytes: bytes)
        return try parser.parse()
    }

    struct TagSyntaxError: Error {
        var message: String
    }

    private struct TagParser {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func parse() throws(TagSyntaxError) -> [String: String] {
            skipSpace()
            let braced = i < bytes.count && bytes[i] == UInt8(ascii: "{")
            if braced { i += 1 }
            var tags: [String: String] = [:]
            skipSpace()
            let closesEmpty = braced && i < bytes.count && bytes[i] == UInt8(ascii: "}")
            if closesEmpty {
                i += 1
            } else if i < bytes.count || braced {
                while true {
                    skipSpace()
                    let key = try string()
                    skipSpace()
                    try expect(UInt8(ascii: ":"))
                    skipSpace()
                    tags[key] = try value()
                    skipSpace()
                    if i < bytes.count && bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    if braced { try expect(UInt8(ascii: "}")) }
                    break
                }
            }
            skipSpace()
            guard i == bytes.count else { throw fail("unexpected text after the tags") }
            return tags
        }

        private mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        }

        private func fail(_ message: String) -> TagSyntaxError {
            TagSyntaxError(message: "\(message) at character \(i + 1)")
        }

        private mutating func expect(_ byte: UInt8) throws(TagSyntaxError) {
            guard i < bytes.count, bytes[i] == byte else {
                throw fail("expected '\(Character(Unicode.Scalar(byte)))'")
            }
            i += 1
        }

        private mutating func string() throws(TagSyntaxError) -> String {
            try expect(UInt8(ascii: "\""))
            let start = i
            // Fast path: no escapes.
            while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
            guard i < bytes.count else { throw fail("unterminated string") }
            if bytes[i] == UInt8(ascii: "\"") {
                defer { i += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            }
            var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            while true {
                guard i < bytes.count else { throw fail("unterminated string") }
                let byte = bytes[i]
                i += 1
                if byte == UInt8(ascii: "\"") { break }
                guard byte == UInt8(ascii: "\\") else {
                    out.append(byte)
                    continue
                }
                guard i < bytes.count else { throw fail("unterminated string") }
                let escape = bytes[i]
                i += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), i + 1 < bytes.count,
                        bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u")
                    {
                        i += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                    }
                    out.append(contentsOf: Array(String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8))
                default:
                    throw fail("unknown escape '\\\(Character(Unicode.Scalar(escape)))'")
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        private mutating func hex4() throws(TagSyntaxError) -> UInt32 {
            guard i + 4 <= bytes.count else { throw fail("short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[i]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw fail("bad \\u escape")
                }
                value = value * 16 + digit
                i += 1
            }
            return value
        }

        /// A string's text, or any other JSON value's own text.
        private mutating func value() throws(TagSyntaxError) -> String {
            guard i < bytes.count else { throw fail("missing value") }
            if bytes[i] == UInt8(ascii: "\"") { return try string() }
            let start = i
            try skipValue()
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        }

        /// Steps over a non-string JSON value (number, literal, object, array).
        private mutating func skipValue() throws(TagSyntaxError) {
            let byte = bytes[i]
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                var depth = 0
                while i < bytes.count {
                    let c = bytes[i]
                    if c == UInt8(ascii: "\"") {
                        _ = try string()
                        continue
                    }
                    if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                    if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                        depth -= 1
                        if depth == 0 {
                            i += 1
                            return
                        }
                    }
                    i += 1
                }
                throw fail("unterminated nested value")
            }
            let start = i
            while i < bytes.count {
                let c = bytes[i]
                let isScalarByte =
                    (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
                    || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: "E")
                guard isScalarByte else { break }
                i += 1
            }
            let text = UnsafeBufferPointer(rebasing: bytes[start..<i])
            guard !text.isEmpty else { throw fail("expected a value") }
            let isLiteral = text.elementsEqual("true".utf8) || text.elementsEqual("false".utf8) || text.elementsEqual("null".utf8)
            guard isLiteral || ImportValues.decimal(text) != nil else { throw fail("expected a value") }
        }
    }
}
