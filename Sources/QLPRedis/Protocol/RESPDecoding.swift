import NIOCore

/// Why bytes from the server are not RESP; the connection cannot be trusted after one.
struct RESPDecodingError: Error, Sendable, Equatable {
    var detail: String
}

extension RESPValue {
    /// Bounds on what a reply may claim, so a hostile or broken peer cannot make us allocate or recurse
    /// without limit (Redis's own proto-max-bulk-len is 512 MB).
    static let maximumBulkLength = 512 * 1024 * 1024
    static let maximumElements = 1 << 24
    static let maximumDepth = 32

    /// Takes one whole value off the front of `buffer`. Returns nil, consuming nothing, when the buffer
    /// holds only the start of one.
    static func decode(from buffer: inout ByteBuffer) throws(RESPDecodingError) -> RESPValue? {
        var reader = RESPReader(bytes: buffer.readableBytesView)
        guard let value = try reader.value(depth: 0) else { return nil }
        buffer.moveReaderIndex(forwardBy: reader.position - buffer.readableBytesView.startIndex)
        return value
    }
}

/// A cursor over received bytes; every method returns nil when the bytes end before the value does.
private struct RESPReader {
    let bytes: ByteBufferView
    var position: Int

    init(bytes: ByteBufferView) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    mutating func value(depth: Int) throws(RESPDecodingError) -> RESPValue? {
        guard depth <= RESPValue.maximumDepth else {
            throw RESPDecodingError(detail: "reply nested deeper than \(RESPValue.maximumDepth) levels")
        }
        guard position < bytes.endIndex else { return nil }
        let type = bytes[position]
        position += 1
        switch type {
        case UInt8(ascii: "+"):
            return try line().map { .simpleString(text($0)) }
        case UInt8(ascii: "-"):
            return try line().map { .error(text($0)) }
        case UInt8(ascii: ":"):
            return try integer().map { .integer($0) }
        case UInt8(ascii: "$"):
            return try blob().map { .bulkString($0) }
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"):
            return try aggregate(depth: depth, valuesPerElement: 1)
        case UInt8(ascii: "%"):
            return try aggregate(depth: depth, valuesPerElement: 2)
        case UInt8(ascii: "|"):
            // An attribute annotates the value after it: read and drop it.
            guard try aggregate(depth: depth, valuesPerElement: 2) != nil else { return nil }
            return try value(depth: depth)
        case UInt8(ascii: "_"):
            guard let line = try line() else { return nil }
            guard line.isEmpty else { throw RESPDecodingError(detail: "null with a payload") }
            return .bulkString(nil)
        case UInt8(ascii: "#"):
            guard let line = try line() else { return nil }
            switch text(line) {
            case "t": return .integer(1)
            case "f": return .integer(0)
            default: throw RESPDecodingError(detail: "boolean that is neither t nor f")
            }
        case UInt8(ascii: ","), UInt8(ascii: "("):
            return try line().map { .bulkString($0) }
        case UInt8(ascii: "!"):
            guard let blob = try blob() else { return nil }
            return .error(text(blob ?? []))
        case UInt8(ascii: "="):
            // Verbatim string: "txt:" or "mkd:" then the text.
            guard let blob = try blob() else { return nil }
            return .bulkString(blob.map { Array($0.dropFirst(4)) })
        default:
            throw RESPDecodingError(detail: "unknown type byte 0x\(String(type, radix: 16)) at the start of a reply")
        }
    }

    /// The bytes up to CR LF, which are consumed too.
    private mutating func line() throws(RESPDecodingError) -> [UInt8]? {
        var index = position
        while index + 1 < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\r") {
                guard bytes[index + 1] == UInt8(ascii: "\n") else {
                    throw RESPDecodingError(detail: "CR not followed by LF")
                }
                let line = Array(bytes[position..<index])
                position = index + 2
                return line
            }
            index += 1
        }
        return nil
    }

    private mutating func integer() throws(RESPDecodingError) -> Int? {
        guard let line = try line() else { return nil }
        guard let value = Int(text(line)) else {
            throw RESPDecodingError(detail: "'\(text(line).prefix(32))' is not an integer")
        }
        return value
    }

    /// A length-prefixed string; .some(nil) for the RESP2 null bulk string ($-1).
    private mutating func blob() throws(RESPDecodingError) -> [UInt8]?? {
        guard let length = try integer() else { return nil }
        if length == -1 { return .some(nil) }
        guard (0...RESPValue.maximumBulkLength).contains(length) else {
            throw RESPDecodingError(detail: "bulk string length \(length) out of range")
        }
        guard bytes.endIndex - position >= length + 2 else { return nil }
        let body = Array(bytes[position..<(position + length)])
        guard bytes[position + length] == UInt8(ascii: "\r"), bytes[position + length + 1] == UInt8(ascii: "\n") else {
            throw RESPDecodingError(detail: "bulk string not followed by CR LF")
        }
        position += length + 2
        return .some(body)
    }

    private mutating func aggregate(depth: Int, valuesPerElement: Int) throws(RESPDecodingError) -> RESPValue? {
        guard let count = try integer() else { return nil }
        if count == -1 { return .array(nil) }
        guard (0...RESPValue.maximumElements).contains(count) else {
            throw RESPDecodingError(detail: "aggregate of \(count) elements out of range")
        }
        var elements: [RESPValue] = []
        elements.reserveCapacity(min(count * valuesPerElement, 1024))
        for _ in 0..<(count * valuesPerElement) {
            guard let element = try value(depth: depth + 1) else { return nil }
            elements.append(element)
        }
        return .array(elements)
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
