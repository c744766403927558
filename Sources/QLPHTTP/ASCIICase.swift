/// Case folding for protocol text that is ASCII by definition (header
/// names, media types, URL schemes): exact there, and free of the Unicode
/// case mapping that `lowercased()` and Foundation's comparisons do on the
/// gateway's hot path.
public enum ASCIICase {
    /// `byte` lower-cased if it is an ASCII capital letter; every other byte unchanged.
    @inline(__always)
    public static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    /// Whether `text` contains `word` (written in lower case) in any letter case.
    public static func contains(_ text: String, lowercaseWord word: StaticString) -> Bool {
        let needle = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        var text = text
        return text.withUTF8 { haystack in
            guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
            for start in 0...(haystack.count - needle.count) {
                var index = 0
                while index < needle.count, lowercased(haystack[start + index]) == needle[index] { index += 1 }
                if index == needle.count { return true }
            }
            return false
        }
    }
}
