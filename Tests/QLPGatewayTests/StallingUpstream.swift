import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A loopback upstream that reads each request, writes the bytes the test
/// scripted (a response head, perhaps a first chunk), and then sends nothing
/// more and keeps the connection open: the half-open Ollama whose headers
/// arrive and whose body never does. `stop()` closes every connection.
final class StallingUpstream: Sendable {
    /// What is written after a request: its head (and any bytes after it), then silence.
    let script: String
    /// What a request after the first on one connection gets.
    enum LaterRequests: Sendable {
        /// Nothing: the connection stays open and silent.
        case ignored
        /// The connection is closed without an answer: a keep-alive connection the server dropped
        /// while the client's pool held it.
        case closeTheConnection
        /// Each gets the script too: a keep-alive server.
        case answered
    }

    let laterRequests: LaterRequests
    /// When set, connections speak TLS with this server context (`start` then returns an https URL).
    let tls: NIOSSLContext?
    /// Instead of the script, a whole request gets a TCP reset (SO_LINGER 0, then close).
    let resets: Bool
    private let channels = Mutex<(server: (any Channel)?, accepted: [any Channel])>((nil, []))
    private let requestCount = Atomic<Int>(0)

    init(script: String, laterRequests: LaterRequests = .ignored, tls: NIOSSLContext? = nil, resets: Bool = false) {
        self.script = script
        self.laterRequests = laterRequests
        self.tls = tls
        self.resets = resets
    }

    /// A whole 200 answer with a JSON body.
    static func wholeAnswer(_ json: String) -> String {
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: \(json.utf8.count)\r\n\r\n" + json
    }

    /// Connections accepted since the start, closed or not.
    var acceptedConnections: Int { channels.withLock { $0.accepted.count } }

    /// A 200 for a stream: the head of a chunked text/event-stream answer, then, when given, one SSE event.
    static func streamHead(thenEvent event: String? = nil) -> String {
        var text = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
        if let event { text += String(event.utf8.count, radix: 16) + "\r\n" + event + "\r\n" }
        return text
    }

    /// A 200 whose JSON body is announced but only its first bytes are sent.
    static let jsonHeadThenPartOfTheBody = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n{\"id\":"

    var requests: Int { requestCount.load(ordering: .relaxed) }

    /// Connections accepted and not yet closed by either side.
    var openConnections: Int { channels.withLock { $0.accepted.filter(\.isActive).count } }

    func start() async throws -> String {
        let script = ByteBuffer(string: self.script)
        let laterRequests = self.laterRequests
        let resets = self.resets
        let counter = self
        let tls = self.tls
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counter.channels.withLock { $0.accepted.append(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptedReply(
                            script: script, laterRequests: laterRequests, resets: resets,
                            onRequest: {
                                counter.requestCount.add(1, ordering: .relaxed)
                            }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        channels.withLock { $0.server = server }
        return (tls == nil ? "http" : "https") + "://127.0.0.1:\(server.localAddress?.port ?? 0)"
    }

    func stop() async {
        let (server, accepted) = channels.withLock { state in
            defer { state = (nil, []) }
            return (state.server, state.accepted)
        }
        for channel in accepted { try? await channel.close() }
        try? await server?.close()
    }

    /// Waits for a whole request (head and Content-Length body), answers with the script once, then
    /// ignores the rest or closes the connection when more comes (`laterRequests`).
    private final class ScriptedReply: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let script: ByteBuffer
        let laterRequests: LaterRequests
        let resets: Bool
        let onRequest: @Sendable () -> Void
        private let received = Mutex<(bytes: [UInt8], answered: Bool)>(([], false))

        init(script: ByteBuffer, laterRequests: LaterRequests, resets: Bool, onRequest: @escaping @Sendable () -> Void) {
            self.script = script
            self.laterRequests = laterRequests
            self.resets = resets
            self.onRequest = onRequest
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let chunk = unwrapInboundIn(data)
            if case .closeTheConnection = laterRequests, received.withLock({ $0.answered }) {
                context.close(promise: nil)
                return
            }
            let answerEach = if case .answered = laterRequests { true } else { false }
            let complete = received.withLock { state -> Bool in
                guard !state.answered || answerEach else { return false }
                state.bytes += chunk.readableBytesView
                guard Self.isComplete(state.bytes) else { return false }
                state.answered = true
                state.bytes = []
                return true
            }
            guard complete else { return }
            onRequest()
            if resets {
                let channel = context.channel
                guard let socket = channel as? any SocketOptionProvider else {
                    channel.close(promise: nil)
                    return
                }
                socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
                return
            }
            context.writeAndFlush(wrapOutboundOut(script), promise: nil)
        }

        static func isComplete(_ bytes: [UInt8]) -> Bool {
            let text = String(decoding: bytes, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n") else { return false }
            let head = text[..<end.lowerBound].lowercased()
            let length =
                head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            return text.utf8.count - text[..<end.upperBound].utf8.count >= length
        }
    }
}
