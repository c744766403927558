import Foundation

/// The MIME encodings a plain-text mail needs: RFC 2047 encoded words for a
/// header, quoted-printable and base64 (RFC 2045) for a body.
///
/// SMTP (without the 8BITMIME and SMTPUTF8 extensions, which not every relay
/// offers) carries 7-bit lines of at most 998 bytes, so anything else is
/// encoded into that.
enum MIMEEncoding {
    /// The encoded words of `text`, one per element, each `=?UTF-8?B?...?=`.
    ///
    /// B rather than Q: it needs no escaping rules for the characters that
    /// are special in headers. Each word holds at most 42 bytes of UTF-8
    /// (68 characters encoded) so that even the first line,
    /// `Subject: ` plus a word, stays within the 78 that RFC 5322 asks for;
    /// words end on whole Unicode scalars, as RFC 2047 section 5 requires.
    static func encodedWords(_ text: String) -> [String] {
        let maxBytes = 42
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > maxBytes {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encodedWord(chunk)) }
        return words
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// `lines` (without line ends) as base64 in lines of 76 characters, each
    /// ending in CRLF; the text's own line breaks are encoded as CRLF.
    static func base64(lines: [[UInt8]]) -> [UInt8] {
        let joined = Array(lines.joined(separator: [13, 10]))
        let text = Data(joined).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn,
            .endLineWithLineFeed,
        ])
        return Array(text.utf8) + (text.isEmpty ? [] : [13, 10])
    }

    /// `lines` (without line ends) as quoted-printable, each ending in CRLF.
    ///
    /// Printable ASCII other than `=` stays as it is, so a mostly-English
    /// alert stays readable in a raw mail view; spaces and tabs are escaped
    /// only at a line's end, where transports may strip them. Lines longer
    /// than 76 characters are cut with soft breaks (`=` CRLF), never inside
    /// an `=XX` escape.
    static func quotedPrintable(lines: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for line in lines {
            var column = 0
            for (index, byte) in line.enumerated() {
                let isLast = index == line.count - 1
                let piece: [UInt8]
                switch byte {
                case 33...60, 62...126: piece = [byte]
                case 9 where !isLast, 32 where !isLast: piece = [byte]
                default: piece = escape(byte)
                }
                // Room for the piece plus the "=" of a soft break, unless
                // this is the line's last piece, which needs no break after it.
                let limit = isLast ? 76 : 75
                if column + piece.count > limit {
                    out += [61, 13, 10]  // "=" CRLF
                    column = 0
                }
                out += piece
                column += piece.count
            }
            out += [13, 10]
        }
        return out
    }

    private static func escape(_ byte: UInt8) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [61, digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
    }

    /// `text` split at every line break (CRLF, LF or a lone CR), as UTF-8
    /// bytes without the breaks. A final break ends the last line rather
    /// than starting an empty one.
    static func lines(of text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var previousWasCR = false
        for byte in text.utf8 {
            switch byte {
            case 13:
                lines.append(current)
                current = []
                previousWasCR = true
            case 10:
                if !previousWasCR {
                    lines.append(current)
                    current = []
                }
                previousWasCR = false
            default:
                current.append(byte)
                previousWasCR = false
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
