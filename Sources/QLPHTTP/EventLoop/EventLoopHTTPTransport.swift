import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// ``HTTPTransport`` on SwiftNIO event loops: HTTP/1.1, a keep-alive pool of
/// connections per event loop and origin, TLS through NIOSSL (system trust
/// roots, SNI), no redirects, no authentication challenges.
///
/// Made for the gateway's calls to its upstreams: given the event loop of the
/// client's connection (`near:`), the upstream connection lives on that same
/// loop, so the upstream's bytes are read by the thread that writes them to
/// the client, and nothing on the way takes a lock shared across loops. The
/// same limits as ``CurlTransport``: connect timeout (TLS included), whole
/// transfer and first-chunk deadlines, `maxResponseBytes`, chunk-by-chunk
/// streaming that stops reading the socket while the reader is behind.
public final class EventLoopHTTPTransport: HTTPTransport {
    private let group: any EventLoopGroup
    /// One pool per loop of `group`, built once: read without a lock.
    private let pools: [ObjectIdentifier: LoopConnectionPool]
    /// The pool of the group's first loop.
    private let home: LoopConnectionPool
    private let logger: Logger

    /// - Parameters:
    ///   - group: the loops connections live on; the process's shared group by default (Hummingbird's too).
    ///   - maxConnectionsPerHost: connections open to one origin at once, shared out among the loops
    ///     (at least one each); a request beyond waits for one, and that wait counts against its timeout.
    ///   - idleClose: how long a pooled connection may sit unused before it is closed.
    ///   - additionalTrustRootFiles: PEM files of certificate authorities trusted for https besides
    ///     the system's (an upstream behind a private CA; the tests' own CA).
    public init(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, maxConnectionsPerHost: Int = 64,
        idleClose: Duration = .seconds(60), additionalTrustRootFiles: [String] = [], logger: Logger = Logger(label: "qlp.http")
    ) {
        self.group = group
        self.logger = logger
        let loops = Array(group.makeIterator())
        let perLoop = max(1, (maxConnectionsPerHost + loops.count - 1) / max(1, loops.count))
        let tls = ClientTLSContext(additionalTrustRootFiles: additionalTrustRootFiles)
        let made = loops.map { LoopConnectionPool(loop: $0, maxPerOrigin: perLoop, tls: tls, idleClose: TimeAmount(idleClose)) }
        pools = Dictionary(uniqueKeysWithValues: made.map { (ObjectIdentifier($0.loop), $0) })
        home = made[0]
    }

    /// The pool of `loop` when it is one of the group's; else that of the loop
    /// the caller runs on; else always the same one, so that a caller off the
    /// loops (a probe, a test) finds its kept-alive connections again.
    private func pool(near loop: (any EventLoop)?) -> LoopConnectionPool {
        if let loop, let pool = pools[ObjectIdentifier(loop)] { return pool }
        if let current = MultiThreadedEventLoopGroup.currentEventLoop, let pool = pools[ObjectIdentifier(current)] {
            return pool
        }
        return home
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await send(request, near: nil)
    }

    /// Sends `request` on a connection of `loop`'s pool; cancelling the calling
    /// task abandons it with ``HTTPTransportError/cancelled(endpoint:)``.
    ///
    /// - Throws: ``HTTPTransportError`` only.
    public func send(_ request: HTTPRequest, near loop: (any EventLoop)?) async throws -> HTTPResponse {
        let parts = try Self.check(request)
        let pool = pool(near: loop)
        let box = ExchangeBox()
        let response = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let exchange = LoopExchange(request: request, parts: parts, loop: pool.loop, receiver: .whole(continuation))
                box.set(exchange)
                pool.startSoon(exchange)
            }
        } onCancel: {
            box.cancel()
        }
        log(request, status: response.status)
        return response
    }

    /// Sends `request` and returns once the final response's head is in; the
    /// body follows chunk by chunk. As ``CurlTransport/open(_:)``: `timeout`
    /// covers the whole transfer, `firstChunkTimeout` the head and first
    /// bytes; cancelling the task before the head, or dropping the body
    /// stream after, abandons the transfer and closes its connection.
    ///
    /// - Throws: ``HTTPTransportError`` only.
    public func open(_ request: HTTPRequest, near loop: (any EventLoop)?) async throws -> HTTPStreamingResponse {
        let parts = try Self.check(request)
        let pool = pool(near: loop)
        let box = ExchangeBox()
        let delivery = StreamedDelivery(unpause: { box.resumeReads() })
        let exchange = LoopExchange(request: request, parts: parts, loop: pool.loop, receiver: .streamed(delivery))
        box.set(exchange)
        let body = HTTPBodyStream(delivery: delivery, stop: { box.cancel() })
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                delivery.expectHead(continuation)
                pool.startSoon(exchange)
            }
        } onCancel: {
            box.cancel()
        }
        log(request, status: head.status)
        return HTTPStreamingResponse(status: head.status, headers: head.headers, body: body)
    }

    /// Fails requests in flight with ``HTTPTransportError/shutDown`` and closes
    /// every connection; later requests fail the same way.
    public func shutdown() async {
        let closing = pools.values.map { pool in pool.loop.flatSubmit { pool.shutdown() } }
        for done in closing { try? await done.get() }
    }

    private func log(_ request: HTTPRequest, status: Int) {
        guard logger.logLevel <= .debug else { return }
        logger.debug("\(request.method.rawValue) \(request.endpoint) -> \(status)")
    }

    /// The request's parts, or the reason it cannot go: what ``CurlTransport``
    /// refuses, and what only libcurl does (redirects, digest challenges).
    private static func check(_ request: HTTPRequest) throws(HTTPTransportError) -> OriginAndTarget {
        if let problem = RequestValidation.problem(in: request) { throw .invalidRequest(detail: problem) }
        if request.followRedirects {
            throw .invalidRequest(detail: "\(request.endpoint): this transport does not follow redirects")
        }
        if request.authentication != nil {
            throw .invalidRequest(detail: "\(request.endpoint): this transport does not answer authentication challenges")
        }
        guard let parts = OriginAndTarget(request.url) else {
            throw .invalidRequest(detail: "URL \(request.endpoint) has no valid host and port")
        }
        return parts
    }
}

/// Hands an exchange to whoever needs to reach it from another thread (a
/// cancellation handler, a stream's reader) before or after it exists.
private final class ExchangeBox: Sendable {
    private let state = LockedState<(exchange: LoopExchange?, cancelled: Bool)>((nil, false))

    func set(_ exchange: LoopExchange) {
        let cancelled = state.withLock { state in
            state.exchange = exchange
            return state.cancelled
        }
        if cancelled { exchange.loop.execute { exchange.cancel() } }
    }

    func cancel() {
        let exchange = state.withLock { state in
            state.cancelled = true
            return state.exchange
        }
        guard let exchange else { return }
        exchange.loop.execute { exchange.cancel() }
    }

    func resumeReads() {
        guard let exchange = state.withLock({ $0.exchange }) else { return }
        exchange.loop.execute { exchange.connection?.resumeReads() }
    }
}
