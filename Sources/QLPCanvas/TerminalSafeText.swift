/// Text from outside (resource names, tags, model names, error bodies, model
/// output) made inert before it reaches a cell: nothing a server sends can
/// move the cursor, recolour the screen, retitle the terminal or reorder text.
///
/// `Canvas.put` runs every string through `sanitize`, and every cell write
/// through `printable`, so no view can forget to: this is the one boundary.
///
/// - Escape sequences are removed whole: CSI (`ESC [` or 0x9B, up to its
///   final byte), OSC (`ESC ]` or 0x9D, up to BEL or ST), DCS/SOS/PM/APC
///   (`ESC P`, `ESC X`, `ESC ^`, `ESC _` or 0x90/0x98/0x9E/0x9F, up to ST)
///   and two-character escapes (`ESC 7`, `ESC c`). Showing their remains
///   ("[31m") would only be noise.
/// - A tab becomes a space; any other C0 control, DEL or C1 control becomes
///   `?`, so the reader sees that something was there.
/// - Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) are
///   dropped: they can make a name read differently from what it is.
public enum TerminalSafeText {
    /// `text` without escape sequences and control characters.
    public static func sanitize(_ text: some StringProtocol) -> String {
        sanitize(text, marked: false)
    }

    /// One line as qlp prints it to standard output or error, a report file
    /// or the log: what `sanitize` makes of it, except that each escape
    /// sequence and each bidirectional control leaves a `?` where it was. A
    /// screen redraws every second and drops the noise; a printed line is
    /// read later (an audit entry, a log), so whatever was smuggled in stays
    /// visible there. A line break is a control like any other: one line in,
    /// one line out, so nothing outside can forge a line of its own.
    public static func printedLine(_ text: some StringProtocol) -> String {
        sanitize(text, marked: true)
    }

    /// Text of several lines, each made safe as `printedLine`: only the line
    /// feeds between them are kept.
    public static func printedLines(_ text: some StringProtocol) -> String {
        guard text.unicodeScalars.contains(where: { $0 != "\n" && isUnsafe($0) }) else { return String(text) }
        // Split by scalar: as Characters, CR LF is one and would not split.
        return String(text).unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { printedLine(String(String.UnicodeScalarView($0))) }.joined(separator: "\n")
    }

    private static func sanitize(_ text: some StringProtocol, marked: Bool) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return String(text) }
        let scalars = String(text).unicodeScalars
        var out = String.UnicodeScalarView()
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let v = scalar.value
            scalars.formIndex(after: &index)
            switch v {
            case 0x1B:
                index = skipEscape(in: scalars, from: index)
                if marked { out.append("?") }
            case 0x9B:
                index = skipCSI(in: scalars, from: index)
                if marked { out.append("?") }
            case 0x9D, 0x90, 0x98, 0x9E, 0x9F:
                index = skipString(in: scalars, from: index, bellEnds: v == 0x9D)
                if marked { out.append("?") }
            case 0x09:
                out.append(" ")
            case _ where isBidiControl(v):
                if marked { out.append("?") }
            case _ where isControl(v):
                out.append("?")
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// One grapheme as a cell may hold it: `?` for a control.
    public static func printable(_ c: Character) -> Character {
        // The common case, cheaply: a cell is written for every frame.
        if let ascii = c.asciiValue { return ascii >= 0x20 && ascii != 0x7F ? c : "?" }
        for scalar in c.unicodeScalars where isControl(scalar.value) || isBidiControl(scalar.value) {
            return "?"
        }
        return c
    }

    /// Whether `sanitize` would change this scalar: a control (tab included)
    /// or a bidirectional control. Input that must not carry one (an audit
    /// reason) is refused by this same test.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        isControl(scalar.value) || isBidiControl(scalar.value)
    }

    /// C0 (including ESC and tab), DEL and C1.
    static func isControl(_ v: UInt32) -> Bool {
        v < 0x20 || (v >= 0x7F && v < 0xA0)
    }

    static func isBidiControl(_ v: UInt32) -> Bool {
        (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// After ESC: skips the rest of the sequence it starts.
    private static func skipEscape(in scalars: String.UnicodeScalarView, from start: String.Index) -> String.Index {
        guard start < scalars.endIndex else { return start }
        let next = scalars[start].value
        let after = scalars.index(after: start)
        switch next {
        case 0x5B: return skipCSI(in: scalars, from: after)  // [
        case 0x5D: return skipString(in: scalars, from: after, bellEnds: true)  // ]
        case 0x50, 0x58, 0x5E, 0x5F: return skipString(in: scalars, from: after, bellEnds: false)  // P X ^ _
        case 0x20...0x2F:
            // nF escapes (charset designation, `ESC ( B`): intermediates, then one final byte.
            var index = after
            while index < scalars.endIndex, (0x20...0x2F).contains(scalars[index].value) { scalars.formIndex(after: &index) }
            return index < scalars.endIndex ? scalars.index(after: index) : index
        case 0x30...0x7E: return after  // ESC 7, ESC c, ESC M ...
        default: return start  // ESC before a control or text: drop the ESC only
        }
    }

    /// After CSI: parameters and intermediates (0x20-0x3F), then one final byte (0x40-0x7E).
    private static func skipCSI(in scalars: String.UnicodeScalarView, from start: String.Index) -> String.Index {
        var index = start
        while index < scalars.endIndex {
            let v = scalars[index].value
            scalars.formIndex(after: &index)
            if (0x40...0x7E).contains(v) { return index }
            // Anything else ends a malformed sequence without being swallowed.
            if !(0x20...0x3F).contains(v) { return scalars.index(before: index) }
        }
        return index
    }

    /// After OSC/DCS/SOS/PM/APC: everything up to ST (`ESC \` or 0x9C), or BEL for OSC.
    private static func skipString(in scalars: String.UnicodeScalarView, from start: String.Index, bellEnds: Bool) -> String.Index {
        var index = start
        while index < scalars.endIndex {
            let v = scalars[index].value
            scalars.formIndex(after: &index)
            if v == 0x9C || (bellEnds && v == 0x07) { return index }
            if v == 0x1B {
                if index < scalars.endIndex, scalars[index].value == 0x5C { return scalars.index(after: index) }
                // An ESC that is not ST starts a new sequence: stop before it.
                return scalars.index(before: index)
            }
        }
        return index
    }
}
