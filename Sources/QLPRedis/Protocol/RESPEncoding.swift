import NIOCore

extension RESPValue {
    /// A command as Redis reads it: an array of bulk strings.
    static func encodeCommand(_ arguments: [String], into buffer: inout ByteBuffer) {
        buffer.writeString("*\(arguments.count)\r\n")
        for argument in arguments {
            buffer.writeString("$\(argument.utf8.count)\r\n")
            buffer.writeString(argument)
            buffer.writeString("\r\n")
        }
    }

    /// The value in RESP2, as a server would send it (tests and fixtures speak server).
    func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .simpleString(let text): buffer.writeString("+\(text)\r\n")
        case .error(let text): buffer.writeString("-\(text)\r\n")
        case .integer(let value): buffer.writeString(":\(value)\r\n")
        case .bulkString(nil): buffer.writeString("$-1\r\n")
        case .bulkString(let bytes?):
            buffer.writeString("$\(bytes.count)\r\n")
            buffer.writeBytes(bytes)
            buffer.writeString("\r\n")
        case .array(nil): buffer.writeString("*-1\r\n")
        case .array(let elements?):
            buffer.writeString("*\(elements.count)\r\n")
            for element in elements { element.encode(into: &buffer) }
        }
    }
}
