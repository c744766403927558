import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A webhook receiver on 127.0.0.1: reads each whole request (head and
/// Content-Length body), keeps its bytes, answers with the scripted reply
/// and closes. `stop()` closes the listener and every connection.
final class LoopbackReceiver: Sendable {
    let reply: String
    private let channels = Mutex<(server: (any Channel)?, accepted: [any Channel])>((nil, []))
    private let received = Mutex<[String]>([])

    init(reply: String = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok") {
        self.reply = reply
    }

    /// Each request as received: head, blank line, body.
    var requests: [String] { received.withLock { $0 } }

    /// Starts listening on a free loopback port; returns "http://127.0.0.1:PORT".
    func start() async throws -> String {
        let reply = ByteBuffer(string: self.reply)
        let receiver = self
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                receiver.channels.withLock { $0.accepted.append(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        Answer(reply: reply) { request in
                            receiver.received.withLock { $0.append(request) }
                        })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        channels.withLock { $0.server = server }
        return "http://127.0.0.1:\(server.localAddress?.port ?? 0)"
    }

    func stop() async {
        let (server, accepted) = channels.withLock { state in
            defer { state = (nil, []) }
            return (state.server, state.accepted)
        }
        for channel in accepted { try? await channel.close() }
        try? await server?.close()
    }

    private final class Answer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let reply: ByteBuffer
        let onRequest: @Sendable (String) -> Void
        private let bytes = Mutex<(data: [UInt8], answered: Bool)>(([], false))

        init(reply: ByteBuffer, onRequest: @escaping @Sendable (String) -> Void) {
            self.reply = reply
            self.onRequest = onRequest
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let chunk = unwrapInboundIn(data)
            let request = bytes.withLock { state -> String? in
                guard !state.answered else { return nil }
                state.data += chunk.readableBytesView
                let text = String(decoding: state.data, as: UTF8.self)
                guard let end = text.range(of: "\r\n\r\n") else { return nil }
                let head = text[..<end.lowerBound].lowercased()
                let length =
                    head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                guard text.utf8.count - text[..<end.upperBound].utf8.count >= length else { return nil }
                state.answered = true
                return text
            }
            guard let request else { return }
            onRequest(request)
            // Answer, then hang up: the reply says connection: close.
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
