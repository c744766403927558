import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// First in a client connection's pipeline, so it sees every read before any
/// decoding: counts the bytes the event loop has read from the socket
/// (compared with the kernel's count of bytes received, `KernelReceivedBytes`,
/// it tells whether input is still waiting unread), and tells the
/// connection's `ClientDeparture`, when it has one, that the client's side
/// closed or the connection did. One handler for both: each is a hop every
/// read and event of every connection passes through.
final class ClientInputWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private(set) var bytesRead: UInt64 = 0
    private let departure: ClientDeparture?

    init(departure: ClientDeparture? = nil) { self.departure = departure }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        bytesRead &+= UInt64(unwrapInboundIn(data).readableBytes)
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent { departure?.markGone() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        departure?.markGone()
        context.fireChannelInactive()
    }
}

/// Linux's count of the bytes a TCP connection has received (`tcpi_bytes_received`,
/// kernel 4.1 and later), read or not by the process.
enum KernelReceivedBytes {
    /// `struct tcp_info` as the kernel fills it; glibc's own declaration stops
    /// before `tcpi_bytes_received`, so the buffer is larger and the field is read at its offset.
    private struct TCPInfoBytes: Sendable {
        var head: SIMD16<UInt64> = .zero
        var tail: SIMD16<UInt64> = .zero
    }

    /// `tcpi_bytes_received`: after the u8 fields (8 bytes), 24 u32 and three u64 (pacing rates, bytes acked).
    private static let offset = 128

    /// Nil where the channel is not a TCP socket or the kernel does not say.
    static func of(_ channel: any Channel) -> EventLoopFuture<UInt64?> {
        #if os(Linux)
            guard let socket = channel as? any SocketOptionProvider else { return channel.eventLoop.makeSucceededFuture(nil) }
            return socket.unsafeGetSocketOption(level: SocketOptionLevel(IPPROTO_TCP), name: SocketOptionName(TCP_INFO))
                .map { (info: TCPInfoBytes) -> UInt64? in
                    withUnsafeBytes(of: info) { $0.load(fromByteOffset: offset, as: UInt64.self) }
                }
                .recover { _ in nil }
        #else
            return channel.eventLoop.makeSucceededFuture(nil)
        #endif
    }
}
