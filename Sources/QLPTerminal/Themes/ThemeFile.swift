import QLPCanvas

/// Reads the theme file format (documented in themes/README.md):
///
///     # comment
///     header      = 255 on #005faf bold
///     muted       = bright-black
///     [no-color]
///     header      = reverse
///
/// Each line names a `StyleRole` (as in the code: `gaugeEmpty` or
/// `gauge-empty`) and gives a foreground colour, optionally `on` a background,
/// then attributes (bold, dim, reverse, underline). A colour is `default`, a
/// name (black, red, green, yellow, blue, magenta, cyan, white, their
/// `bright-` forms, grey), a palette number 0-255 or `#rrggbb`; `-` keeps the
/// default. Lines before any section are the colour table; `[no-color]`
/// holds attributes only, for NO_COLOR (when absent, qlp's own attribute
/// table is used). A role left out is drawn plain.
public enum ThemeFile {
    public static func parse(_ text: String, name: String, file: String) throws(ThemeFileError) -> Theme {
        var colored: [StyleRole: TerminalStyle] = [:]
        var monochrome: [StyleRole: TerminalStyle]?
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = stripComment(String(rawLine))
            let fail = { (message: String) in ThemeFileError(file: file, line: lineNumber, message: message) }
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line == "[no-color]" else { throw fail("unknown section '\(line)' (the only section is [no-color])") }
                guard monochrome == nil else { throw fail("[no-color] appears twice") }
                monochrome = [:]
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw fail("expected 'role = colour [on colour] [attributes]', found '\(line)'")
            }
            let roleName = line[..<equals].trimmingSpaces
            guard let role = role(named: roleName) else {
                throw fail("unknown role '\(roleName)' (roles: \(StyleRole.allCases.map { "\($0)" }.joined(separator: ", ")))")
            }
            let words = line[line.index(after: equals)...].split(separator: " ").map(String.init)
            if words.isEmpty { throw fail("nothing after '=': give a colour, attributes or both") }
            let style = try parseStyle(words, colorsAllowed: monochrome == nil, fail: fail)
            if monochrome != nil {
                guard monochrome?[role] == nil else { throw fail("role '\(roleName)' is set twice in [no-color]") }
                monochrome?[role] = style
            } else {
                guard colored[role] == nil else { throw fail("role '\(roleName)' is set twice") }
                colored[role] = style
            }
        }
        guard !colored.isEmpty || monochrome != nil else {
            throw ThemeFileError(file: file, line: 0, message: "no roles set: the file is empty")
        }
        return Theme(name: name, colored: colored, monochrome: monochrome ?? Theme.attributeStyles)
    }

    /// Text before a comment: `#` at the start or after whitespace, not
    /// followed by a hex digit (so `#rrggbb` stays).
    static func stripComment(_ line: String) -> String {
        var previous: Character = " "
        var out = ""
        for c in line {
            if c == "#", previous == " " || previous == "\t" {
                // "#" before a hex digit is a colour (or a mistyped one, which
                // the colour parser then names); otherwise a comment starts.
                let rest = line[line.index(line.startIndex, offsetBy: out.count + 1)...]
                if rest.first?.isHexDigit != true { break }
            }
            out.append(c == "\t" ? " " : c)
            previous = c
        }
        return out.trimmingSpaces
    }

    static func role(named name: String) -> StyleRole? {
        let key = String(name.lowercased().filter { $0 != "-" && $0 != "_" })
        return StyleRole.allCases.first { "\($0)".lowercased() == key }
    }

    static func parseStyle(
        _ words: [String], colorsAllowed: Bool,
        fail: (String) -> ThemeFileError
    ) throws(ThemeFileError) -> TerminalStyle {
        var style = TerminalStyle()
        var index = 0
        if colorsAllowed, let first = words.first, !isAttribute(first) {
            style.foreground = try color(first, fail: fail)
            index = 1
            if index < words.count, words[index] == "on" {
                guard index + 1 < words.count else { throw fail("'on' needs a background colour after it") }
                style.background = try color(words[index + 1], fail: fail)
                index += 2
            }
        }
        for word in words[index...] {
            switch word.lowercased() {
            case "bold": style.bold = true
            case "dim": style.dim = true
            case "reverse": style.reverse = true
            case "underline": style.underline = true
            case "plain", "normal": break
            default:
                if !colorsAllowed { throw fail("'\(word)': [no-color] takes attributes only (bold, dim, reverse, underline, plain)") }
                throw fail("'\(word)' is not an attribute (bold, dim, reverse, underline) and comes after the colours")
            }
        }
        return style
    }

    static func isAttribute(_ word: String) -> Bool {
        ["bold", "dim", "reverse", "underline", "plain", "normal"].contains(word.lowercased())
    }

    static let colorNames: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "grey": 8, "gray": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    static func color(_ word: String, fail: (String) -> ThemeFileError) throws(ThemeFileError) -> TerminalColor {
        let lower = word.lowercased()
        if lower == "default" || lower == "-" { return .default }
        if let n = colorNames[lower] { return .ansi(n) }
        if let n = Int(lower) {
            guard (0...255).contains(n) else { throw fail("colour \(n) is out of range 0-255") }
            return .indexed(UInt8(n))
        }
        if lower.hasPrefix("#") {
            let hex = lower.dropFirst()
            guard hex.count == 6, let value = UInt32(hex, radix: 16) else {
                throw fail("'\(word)' is not a #rrggbb colour")
            }
            return .rgb(UInt8(value >> 16), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
        }
        throw fail("unknown colour '\(word)' (a name such as red or bright-blue, 0-255, #rrggbb or default)")
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        String(
            drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" })
                .reversed())
    }
}
