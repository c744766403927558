import NIOCore
import NIOHTTP1
import NIOSSL
import NIOTLS

#if canImport(Glibc)
    import Glibc
#endif

/// One keep-alive HTTP/1.1 connection to an upstream, the last handler of its
/// channel's pipeline: it writes one exchange's request at a time, hands the
/// response to that exchange, and goes back to its pool when the response
/// ended cleanly. Lives on its channel's event loop.
///
/// Backpressure: while a stream's reader is behind, the exchange asks the
/// connection to hold reads; `read` events are then kept here instead of
/// reaching the socket, so the kernel's buffer fills and TCP slows the sender.
final class UpstreamConnection: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    let origin: OriginAndTarget.Origin
    private let pool: LoopConnectionPool
    private var context: ChannelHandlerContext?
    private(set) var exchange: LoopExchange?
    /// False until the TLS handshake is done (true at once for plain http).
    private var ready: Bool
    private var keepAlive = true
    private var readsHeld = false
    private var readWaiting = false
    private var idleTimer: Scheduled<Void>?
    /// Exchanges carried so far.
    private(set) var carried = 0

    init(origin: OriginAndTarget.Origin, pool: LoopConnectionPool) {
        self.origin = origin
        self.pool = pool
        self.ready = !origin.tls
    }

    var isActive: Bool { context?.channel.isActive ?? false }

    var closeFuture: EventLoopFuture<Void>? { context?.channel.closeFuture }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    // MARK: carrying an exchange

    /// Writes `exchange`'s request; its response comes back through `channelRead`.
    func run(_ exchange: LoopExchange) {
        idleTimer?.cancel()
        idleTimer = nil
        self.exchange = exchange
        exchange.attach(to: self, reused: carried > 0)
        carried += 1
        keepAlive = true
        readsHeld = false
        if ready { exchange.connected() }
        guard let context else {
            brokeBeforeAnswer(.sendFailed, detail: "the connection closed before the request was sent")
            return
        }
        let request = exchange.request
        var head = HTTPRequestHead(
            version: .http1_1, method: NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue), uri: exchange.parts.target)
        head.headers.add(name: "host", value: exchange.parts.hostHeader)
        for (name, value) in request.headers where !Self.setHere(name) {
            head.headers.add(name: name, value: value)
        }
        let bodyAllowed = request.method == .post || request.method == .put || request.method == .patch
        if bodyAllowed || !request.body.isEmpty {
            head.headers.add(name: "content-length", value: String(request.body.count))
        }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !request.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: request.body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Host and the body's framing are the transport's to write; a caller's copies would contradict them.
    private static func setHere(_ name: String) -> Bool {
        HTTPHeaders.namesMatch(name, "host") || HTTPHeaders.namesMatch(name, "content-length")
            || HTTPHeaders.namesMatch(name, "transfer-encoding")
    }

    /// The exchange ended early (deadline, cancellation, body over its limit): the
    /// response is unfinished, so the connection cannot carry another and closes.
    func abandon(_ ended: LoopExchange) {
        guard exchange === ended else { return }
        exchange = nil
        keepAlive = false
        context?.close(promise: nil)
    }

    /// A stream's reader fell behind: reads wait until `resumeReads`.
    func holdReads() { readsHeld = true }

    func resumeReads() {
        readsHeld = false
        if readWaiting, let context {
            readWaiting = false
            context.read()
        }
    }

    /// Closes the connection after `seconds` unused in the pool.
    func idle(closeAfter seconds: TimeAmount) {
        guard let context else { return }
        let channel = context.channel
        idleTimer = context.eventLoop.scheduleTask(in: seconds) { channel.close(promise: nil) }
    }

    func close() { context?.close(promise: nil) }

    // MARK: channel events

    func read(context: ChannelHandlerContext) {
        if readsHeld {
            readWaiting = true
        } else {
            context.read()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let exchange else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            // A 1xx is not the answer: the final head follows (NIO passes no body or end for it).
            if (100..<200).contains(head.status.code), head.status != .switchingProtocols { return }
            keepAlive = head.isKeepAlive
            exchange.receiveHead(head)
        case .body(let buffer):
            if exchange.receiveBody(buffer) { readsHeld = true }
        case .end:
            self.exchange = nil
            exchange.receiveEnd()
            pool.release(self, reusable: keepAlive && context.channel.isActive)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent {
            ready = true
            exchange?.connected()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = nil
        if let exchange, !exchange.isFinished {
            if exchange.sawResponseBytes {
                fail(
                    exchange,
                    .transferFailed(
                        endpoint: exchange.endpoint, breakage: .cutShort, detail: "transfer closed with the answer unfinished"))
            } else {
                brokeBeforeAnswer(.emptyReply, detail: "Empty reply from server")
            }
        }
        pool.closed(self)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let exchange, !exchange.isFinished {
            if !ready {
                fail(exchange, .connectionFailed(endpoint: exchange.endpoint, detail: "TLS handshake failed: \(error)"))
            } else if let io = error as? IOError, !exchange.sawResponseBytes {
                brokeBeforeAnswer(Self.breakage(of: io), detail: Self.text(of: io))
            } else {
                fail(exchange, Self.breakage(error, endpoint: exchange.endpoint))
            }
        }
        keepAlive = false
        context.close(promise: nil)
    }

    private func fail(_ exchange: LoopExchange, _ error: HTTPTransportError) {
        self.exchange = nil
        exchange.fail(error)
    }

    /// Nothing of the answer came. On a connection that had waited in the pool,
    /// the server most likely closed it meanwhile: the request goes once more on
    /// a new connection, as libcurl does. Otherwise the exchange fails.
    private func brokeBeforeAnswer(_ breakage: TransferBreakage, detail: String) {
        guard let exchange else { return }
        self.exchange = nil
        keepAlive = false
        if exchange.onReusedConnection, !exchange.movedToFreshConnection {
            exchange.movedToFreshConnection = true
            exchange.detach()
            pool.startOnFreshConnection(exchange)
        } else {
            exchange.fail(.transferFailed(endpoint: exchange.endpoint, breakage: breakage, detail: detail))
        }
    }

    /// A failure after part of the answer came.
    static func breakage(_ error: any Error, endpoint: String) -> HTTPTransportError {
        if let io = error as? IOError {
            let breakage = breakage(of: io)
            let prefix = breakage == .sendFailed ? "Send failure: " : "Recv failure: "
            return .transferFailed(endpoint: endpoint, breakage: breakage, detail: prefix + text(of: io))
        }
        if let parser = error as? HTTPParserError, parser == .invalidEOFState {
            // The connection closed before the body its head announced was whole.
            return .transferFailed(endpoint: endpoint, breakage: .cutShort, detail: "transfer closed with the answer unfinished")
        }
        if error is HTTPParserError {
            return .transferFailed(endpoint: endpoint, breakage: .malformedAnswer, detail: "malformed HTTP answer (\(error))")
        }
        return .transferFailed(endpoint: endpoint, breakage: .receiveFailed, detail: "\(error)")
    }

    /// A socket error, before or after part of the answer came.
    static func breakage(of error: IOError) -> TransferBreakage {
        switch error.errnoCode {
        case EPIPE: .sendFailed
        case ECONNRESET: .connectionReset
        default: .receiveFailed
        }
    }

    /// "Connection reset by peer": the system's words for the errno.
    static func text(of error: IOError) -> String {
        guard let words = strerror(error.errnoCode) else { return "errno \(error.errnoCode)" }
        return String(cString: words)
    }
}
