/// One field of a CSV record: where its content lies in the input bytes.
///
/// For a quoted field the range excludes the enclosing quotes; doubled quotes
/// inside it are still doubled (`hasEscapedQuotes`), so reading the text goes
/// through `CSVReader.string(_:)`, which undoes them.
public struct CSVField: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var isQuoted: Bool
    public var hasEscapedQuotes: Bool

    public init(start: Int, end: Int, isQuoted: Bool, hasEscapedQuotes: Bool) {
        self.start = start
        self.end = end
        self.isQuoted = isQuoted
        self.hasEscapedQuotes = hasEscapedQuotes
    }

    public var isEmpty: Bool { start == end }
}

/// A record with its fields as text, for callers that want Strings.
public struct CSVRecord: Sendable, Equatable {
    /// 1-based physical line the record starts on.
    public var line: Int
    public var fields: [String]
    /// Whether each field was written in quotes (so `"NULL"` and `NULL` differ).
    public var quoted: [Bool]

    public init(line: Int, fields: [String], quoted: [Bool]) {
        self.line = line
        self.fields = fields
        self.quoted = quoted
    }
}

/// An RFC 4180 reader over UTF-8 bytes: with or without a byte order mark,
/// CRLF, LF (or bare CR) line ends, quoted fields holding commas, doubled
/// quotes and line breaks. Each record reports the physical line it starts on.
/// Blank lines between records are skipped. A quote where RFC 4180 allows
/// none, or a quoted field left open at the end of the input, is an
/// `ImportProblem` located at its line.
///
/// It works on bytes and hands out byte ranges, so that a caller reading a
/// few of many columns builds Strings only for those.
public struct CSVReader: Sendable {
    public let bytes: [UInt8]
    public let file: String
    /// Byte offset of the next record.
    public private(set) var offset: Int
    /// 1-based line the next scan starts on.
    public private(set) var line: Int

    public init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        self.offset = CSVScanner.bomLength(bytes)
        self.line = 1
    }

    /// Reads the next record into `fields` (replacing its contents) and
    /// returns the line it starts on, or nil at the end of the input.
    public mutating func nextRecord(into fields: inout [CSVField]) throws(ImportProblem) -> Int? {
        var position = offset
        var currentLine = line
        let result = bytes.withUnsafeBufferPointer { buffer in
            CSVScanner.scanRecord(buffer, &position, &currentLine, &fields)
        }
        offset = position
        line = currentLine
        switch result {
        case .end: return nil
        case .record(let startLine): return startLine
        case .malformed(let problemLine, let fieldIndex, let message):
            throw ImportProblem(file: file, line: problemLine, message: "field \(fieldIndex + 1): \(message)")
        }
    }

    /// The text of a field, with doubled quotes undone. Invalid UTF-8 is
    /// replaced by U+FFFD.
    public func string(_ field: CSVField) -> String {
        bytes.withUnsafeBufferPointer { CSVScanner.string(in: $0, field) }
    }

    /// Whether the field is the unquoted literal `NULL`, which some exports
    /// (the FOCUS sample data) write for a missing value.
    public func isNullLiteral(_ field: CSVField) -> Bool {
        bytes.withUnsafeBufferPointer { CSVScanner.isNullLiteral(in: $0, field) }
    }

    /// Every record of `bytes` as text.
    public static func records(in bytes: [UInt8], file: String) throws(ImportProblem) -> [CSVRecord] {
        var reader = CSVReader(bytes: bytes, file: file)
        var fields: [CSVField] = []
        var records: [CSVRecord] = []
        while let line = try reader.nextRecord(into: &fields) {
            records.append(CSVRecord(line: line, fields: fields.map(reader.string), quoted: fields.map(\.isQuoted)))
        }
        return records
    }
}

/// The scanning itself, on a buffer the caller keeps alive: shared by
/// `CSVReader` and the importer, which holds one buffer for a whole file.
enum CSVScanner {
    static let quote = UInt8(ascii: "\"")
    static let comma = UInt8(ascii: ",")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")

    enum Result {
        case end
        case record(startLine: Int)
        case malformed(line: Int, fieldIndex: Int, message: String)
    }

    static func bomLength(_ bytes: [UInt8]) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// Scans one record starting at `position`; leaves `position` after its
    /// line end and `line` on the line after it.
    static func scanRecord(
        _ buffer: UnsafeBufferPointer<UInt8>, _ position: inout Int, _ line: inout Int,
        _ fields: inout [CSVField]
    ) -> Result {
        fields.removeAll(keepingCapacity: true)
        let count = buffer.count
        var pos = position
        defer { position = pos }

        // Blank lines are not records.
        while pos < count {
            let byte = buffer[pos]
            if byte == lf {
                line += 1
                pos += 1
            } else if byte == cr {
                pos += pos + 1 < count && buffer[pos + 1] == lf ? 2 : 1
                line += 1
            } else {
                break
            }
        }
        if pos >= count { return .end }
        let startLine = line

        while true {
            if pos < count && buffer[pos] == quote {
                let openingLine = line
                pos += 1
                let start = pos
                var escaped = false
                while true {
                    pos = skip(buffer, from: pos, stoppingAtComma: false)
                    guard pos < count else {
                        return .malformed(
                            line: openingLine, fieldIndex: fields.count,
                            message: "quoted field is never closed (its quote opens on line \(openingLine))")
                    }
                    let byte = buffer[pos]
                    if byte == quote {
                        if pos + 1 < count && buffer[pos + 1] == quote {
                            escaped = true
                            pos += 2
                            continue
                        }
                        break
                    }
                    if byte == lf {
                        line += 1
                    } else if byte == cr && !(pos + 1 < count && buffer[pos + 1] == lf) {
                        line += 1
                    }
                    pos += 1
                }
                fields.append(CSVField(start: start, end: pos, isQuoted: true, hasEscapedQuotes: escaped))
                pos += 1  // the closing quote
                if pos >= count { return .record(startLine: startLine) }
                let byte = buffer[pos]
                if byte == comma {
                    pos += 1
                    continue
                }
                if byte == lf || byte == cr {
                    endLine(buffer, &pos, &line)
                    return .record(startLine: startLine)
                }
                return .malformed(
                    line: line, fieldIndex: fields.count - 1,
                    message: "unexpected \(describe(byte)) after a closing quote (a quote inside a quoted field must be doubled)")
            } else {
                let start = pos
                pos = skip(buffer, from: pos, stoppingAtComma: true)
                if pos < count && buffer[pos] == quote {
                    return .malformed(
                        line: line, fieldIndex: fields.count,
                        message: "quote inside an unquoted field (quote the whole field and double the quote)")
                }
                fields.append(CSVField(start: start, end: pos, isQuoted: false, hasEscapedQuotes: false))
                if pos >= count { return .record(startLine: startLine) }
                if buffer[pos] == comma {
                    pos += 1
                    continue
                }
                endLine(buffer, &pos, &line)
                return .record(startLine: startLine)
            }
        }
    }

    /// The offset of the first quote, LF or CR (and comma, if asked) at or
    /// after `start`, or the end of the buffer. Reads eight bytes at a time
    /// and finds the byte by bit arithmetic ("has a zero byte" on the word
    /// XOR the byte repeated), which flags the first match exactly.
    @inline(__always)
    private static func skip(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, stoppingAtComma: Bool) -> Int {
        let count = buffer.count
        var pos = start
        if let base = buffer.baseAddress {
            let raw = UnsafeRawPointer(base)
            while pos + 8 <= count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: pos, as: UInt64.self))
                var flags =
                    zeroBytes(word ^ 0x2222_2222_2222_2222) | zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0A)
                    | zeroBytes(word ^ 0x0D0D_0D0D_0D0D_0D0D)
                if stoppingAtComma { flags |= zeroBytes(word ^ 0x2C2C_2C2C_2C2C_2C2C) }
                if flags != 0 { return pos + flags.trailingZeroBitCount >> 3 }
                pos += 8
            }
        }
        while pos < count {
            let byte = buffer[pos]
            if byte == quote || byte == lf || byte == cr || (stoppingAtComma && byte == comma) { return pos }
            pos += 1
        }
        return pos
    }

    /// High bit set in each byte of the result that is zero in `word` (exact
    /// for the lowest such byte, which is all `skip` uses).
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    /// Steps over one CR, LF or CRLF at `pos`.
    @inline(__always)
    private static func endLine(_ buffer: UnsafeBufferPointer<UInt8>, _ pos: inout Int, _ line: inout Int) {
        if buffer[pos] == cr && pos + 1 < buffer.count && buffer[pos + 1] == lf {
            pos += 2
        } else {
            pos += 1
        }
        line += 1
    }

    private static func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    static func string(in buffer: UnsafeBufferPointer<UInt8>, _ field: CSVField) -> String {
        let slice = UnsafeBufferPointer(rebasing: buffer[field.start..<field.end])
        guard field.hasEscapedQuotes else { return String(decoding: slice, as: UTF8.self) }
        return String(decoding: unescaped(slice), as: UTF8.self)
    }

    /// The bytes of a quoted field's content with each doubled quote made single.
    static func unescaped(_ slice: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var i = 0
        while i < slice.count {
            let byte = slice[i]
            out.append(byte)
            i += byte == quote ? 2 : 1
        }
        return out
    }

    static func isNullLiteral(in buffer: UnsafeBufferPointer<UInt8>, _ field: CSVField) -> Bool {
        guard !field.isQuoted, field.end - field.start == 4 else { return false }
        let s = field.start
        return buffer[s] == UInt8(ascii: "N") && buffer[s + 1] == UInt8(ascii: "U")
            && buffer[s + 2] == UInt8(ascii: "L") && buffer[s + 3] == UInt8(ascii: "L")
    }
}
