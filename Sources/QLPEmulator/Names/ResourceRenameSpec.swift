/// A rename written on a command line: `OLD=NEW`, where both sides may hold
/// escapes, so that a shell can pass control characters: `\e` (ESC), `\a`
/// (BEL), `\b`, `\f`, `\n`, `\r`, `\t`, `\v`, `\\`, `\xHH` (the code point
/// U+00HH, so `\x9b` is the C1 CSI) and `\u{H...}` (any code point). For
/// example `'Event Grid=\e]0;PWNED\aEvil\x9b2JGrid'`.
public enum ResourceRenameSpec {
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Several renames (a later one for the same name wins).
    public static func parseAll(_ texts: [String]) throws(ParseError) -> [String: String] {
        var renames: [String: String] = [:]
        for text in texts {
            let (old, new) = try parse(text)
            renames[old] = new
        }
        return renames
    }

    public static func parse(_ text: String) throws(ParseError) -> (old: String, new: String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ParseError(description: "resource name '\(visible(text))': expected OLD=NEW, e.g. 'Event Grid=Event\\e[2JGrid'")
        }
        let old = try unescape(String(text[..<equals]), in: text)
        let new = try unescape(String(text[text.index(after: equals)...]), in: text)
        guard !new.isEmpty else {
            throw ParseError(description: "resource name '\(visible(text))': the new name after '=' is empty")
        }
        return (old, new)
    }

    /// `text` with its backslash escapes replaced by the characters they name.
    public static func unescape(_ text: String, in whole: String) throws(ParseError) -> String {
        var out = String.UnicodeScalarView()
        var scalars = Substring(text).unicodeScalars[...]
        func fail(_ why: String) -> ParseError {
            ParseError(
                description: "resource name '\(visible(whole))': \(why); escapes are \\e \\a \\b \\f \\n \\r \\t \\v \\\\ \\xHH \\u{H...}")
        }
        while let scalar = scalars.popFirst() {
            guard scalar == "\\" else {
                out.append(scalar)
                continue
            }
            guard let kind = scalars.popFirst() else { throw fail("a '\\' at the end") }
            switch kind {
            case "e": out.append("\u{1B}")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append("\u{0B}")
            case "\\": out.append("\\")
            case "x":
                let digits = String(String.UnicodeScalarView(scalars.prefix(2)))
                guard digits.unicodeScalars.count == 2, let value = UInt32(digits, radix: 16), let code = Unicode.Scalar(value) else {
                    throw fail("'\\x' needs two hex digits")
                }
                scalars = scalars.dropFirst(2)
                out.append(code)
            case "u":
                guard scalars.first == "{", let close = scalars.firstIndex(of: "}") else { throw fail("'\\u' needs {HEX}") }
                let digits = String(String.UnicodeScalarView(scalars[scalars.index(after: scalars.startIndex)..<close]))
                guard (1...6).contains(digits.unicodeScalars.count), let value = UInt32(digits, radix: 16),
                    let code = Unicode.Scalar(value)
                else {
                    throw fail("'\\u{\(digits)}' is not a code point")
                }
                scalars = scalars[scalars.index(after: close)...]
                out.append(code)
            default:
                throw fail("unknown escape '\\\(kind)'")
            }
        }
        return String(out)
    }

    /// The spec as typed, safe to print: it holds escapes, not the controls they make.
    public static func visible(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.flatMap { scalar -> [Unicode.Scalar] in
                    scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
                        ? Array("\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
                        : [scalar]
                }))
    }
}
