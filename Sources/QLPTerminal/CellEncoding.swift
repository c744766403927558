import QLPCanvas

#if canImport(Glibc)
    import Glibc  // wchar_t, wcwidth
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns a canvas grapheme into the NUL-terminated wide characters that
/// ncurses's `setcchar` accepts for one cell. Pure, so it is testable.
///
/// It is the last guard before the terminal: whatever a view managed to put in
/// a cell, only printable text reaches the wire.
enum CellEncoding {
    /// ncurses keeps a spacing character plus up to four combining marks per
    /// cell (CCHARW_MAX = 5).
    static let maxScalars = 5
    /// Room for `maxScalars` and the terminating NUL.
    static let bufferSize = maxScalars + 1

    /// Fills `buffer` (at least `bufferSize` long) for `grapheme`.
    /// - Parameter unicode: false when the locale is not UTF-8; then anything
    ///   beyond ASCII becomes `?`, because ncurses cannot encode it and would
    ///   print escapes such as `M-#` instead.
    static func encode(_ grapheme: Character, unicode: Bool, into buffer: inout [wchar_t]) {
        if let ascii = grapheme.asciiValue, grapheme.unicodeScalars.count == 1 {
            buffer[0] = wchar_t(ascii >= 0x20 && ascii < 0x7F ? ascii : UInt8(ascii: "?"))
            buffer[1] = 0
            return
        }
        let scalars = grapheme.unicodeScalars
        for scalar in scalars {
            let v = scalar.value
            if v < 0x20 || (v >= 0x7F && v < 0xA0) || (!unicode && v > 0x7E) {
                return single("?", into: &buffer)
            }
        }
        // A lone combining mark would merge into the neighbouring cell.
        if DisplayWidth.of(grapheme) == 0 { return single(" ", into: &buffer) }
        // A cell holds one spacing character and its combining marks; ncurses's
        // setcchar stops at the next spacing character anyway. So ZWJ emoji
        // sequences keep their first emoji, and a flag its first letter symbol.
        var count = 0
        for scalar in scalars {
            if count == maxScalars { break }
            if count > 0, !isCombining(scalar) { break }
            buffer[count] = wchar_t(bitPattern: scalar.value)
            count += 1
        }
        buffer[count] = 0
    }

    /// Marks that draw onto the preceding character (accents, variation selectors).
    private static func isCombining(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return true
        default: return false
        }
    }

    private static func single(_ scalar: Unicode.Scalar, into buffer: inout [wchar_t]) {
        buffer[0] = wchar_t(bitPattern: scalar.value)
        buffer[1] = 0
    }
}
