import NIOCore

/// Cuts the byte stream into whole replies.
struct RESPFrameDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = RESPValue

    func decode(buffer: inout ByteBuffer) throws -> RESPValue? {
        try RESPValue.decode(from: &buffer)
    }

    func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RESPValue? {
        try decode(buffer: &buffer)
    }
}
