import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The upstream connections of one event loop: kept alive per origin, at most
/// `maxPerOrigin` open to one origin (exchanges beyond wait, first come first
/// served, and that wait counts against their deadline), closed after
/// `idleClose` unused.
///
/// Confined to `loop`: every method runs there, so no lock is taken on the
/// request path. `@unchecked Sendable` only so that the transport can keep
/// it in a table read from any thread.
final class LoopConnectionPool: @unchecked Sendable {
    let loop: any EventLoop
    private let maxPerOrigin: Int
    private let tls: ClientTLSContext
    private let idleClose: TimeAmount
    private var idle: [OriginAndTarget.Origin: [UpstreamConnection]] = [:]
    private var open: [OriginAndTarget.Origin: Int] = [:]
    private var waiting: [OriginAndTarget.Origin: [LoopExchange]] = [:]
    /// Exchanges started and not yet finished, to fail at shutdown.
    private var inFlight: [ObjectIdentifier: LoopExchange] = [:]
    private var connections: [ObjectIdentifier: UpstreamConnection] = [:]
    private var isShutDown = false

    init(loop: any EventLoop, maxPerOrigin: Int, tls: ClientTLSContext, idleClose: TimeAmount) {
        self.loop = loop
        self.maxPerOrigin = max(1, maxPerOrigin)
        self.tls = tls
        self.idleClose = idleClose
    }

    /// `start` from any thread: at once when called on the pool's loop (a request
    /// task running there), else as the loop's next task.
    func startSoon(_ exchange: LoopExchange) {
        if loop.inEventLoop {
            start(exchange)
        } else {
            loop.execute { self.start(exchange) }
        }
    }

    /// Runs `exchange` on a pooled connection, a new one, or after one frees up.
    func start(_ exchange: LoopExchange) {
        loop.assertInEventLoop()
        // Cancelled before it got here.
        guard !exchange.isFinished else { return }
        guard !isShutDown else {
            exchange.fail(.shutDown)
            return
        }
        inFlight[ObjectIdentifier(exchange)] = exchange
        exchange.pool = self
        exchange.armDeadlines()
        assign(exchange, reuse: true)
    }

    /// Runs an exchange whose reused connection broke before any answer on a new connection.
    func startOnFreshConnection(_ exchange: LoopExchange) {
        guard !isShutDown else {
            exchange.fail(.shutDown)
            return
        }
        assign(exchange, reuse: false)
    }

    private func assign(_ exchange: LoopExchange, reuse: Bool) {
        let origin = exchange.parts.origin
        if reuse, let connection = takeIdle(origin) {
            connection.run(exchange)
            return
        }
        if open[origin, default: 0] < maxPerOrigin {
            connect(for: exchange)
        } else {
            waiting[origin, default: []].append(exchange)
        }
    }

    private func takeIdle(_ origin: OriginAndTarget.Origin) -> UpstreamConnection? {
        while let connection = idle[origin]?.popLast() {
            if connection.isActive { return connection }
        }
        return nil
    }

    private func connect(for exchange: LoopExchange) {
        let origin = exchange.parts.origin
        open[origin, default: 0] += 1
        exchange.connecting()
        let handler = UpstreamConnection(origin: origin, pool: self)
        let tls: NIOSSLContext?
        if origin.tls {
            switch self.tls.context() {
            case .success(let context): tls = context
            case .failure(let error):
                open[origin, default: 1] -= 1
                exchange.fail(.connectionFailed(endpoint: exchange.endpoint, detail: "TLS is not available: \(error)"))
                return
            }
        } else {
            tls = nil
        }
        let started = NIODeadline.now()
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(exchange.request.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                do {
                    if let tls {
                        let serverName = Self.isIPAddress(origin.host) ? nil : origin.host
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(handler)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        bootstrap.connect(host: origin.host, port: origin.port).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let channel):
                self.connections[ObjectIdentifier(handler)] = handler
                if self.isShutDown {
                    channel.close(promise: nil)
                } else if exchange.isFinished {
                    // Its deadline passed while connecting: the connection serves the next in line.
                    self.release(handler, reusable: true)
                } else {
                    handler.run(exchange)
                }
            case .failure(ChannelError.connectTimeout):
                self.open[origin, default: 1] -= 1
                let request = exchange.request
                exchange.fail(.timedOut(endpoint: exchange.endpoint, after: min(request.connectTimeout, request.timeout)))
                self.serveWaiting(origin)
            case .failure(let error):
                self.open[origin, default: 1] -= 1
                let ms = (NIODeadline.now() - started).nanoseconds / 1_000_000
                exchange.fail(
                    .connectionFailed(
                        endpoint: exchange.endpoint,
                        detail: "Failed to connect to \(origin.host) port \(origin.port) after \(ms) ms: \(Self.reason(error))"))
                self.serveWaiting(origin)
            }
        }
    }

    /// A connection finished an exchange: it carries the next one waiting, or rests in the pool.
    func release(_ connection: UpstreamConnection, reusable: Bool) {
        guard reusable, !isShutDown, connection.isActive else {
            connection.close()
            return
        }
        if let next = popWaiting(connection.origin) {
            connection.run(next)
            return
        }
        connection.idle(closeAfter: idleClose)
        idle[connection.origin, default: []].append(connection)
    }

    /// A connection's channel closed: its slot frees up for an exchange waiting for one.
    func closed(_ connection: UpstreamConnection) {
        guard connections.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return }
        open[connection.origin, default: 1] -= 1
        idle[connection.origin]?.removeAll { $0 === connection }
        serveWaiting(connection.origin)
    }

    /// An exchange ended; forget it.
    func finished(_ exchange: LoopExchange) {
        inFlight[ObjectIdentifier(exchange)] = nil
    }

    private func serveWaiting(_ origin: OriginAndTarget.Origin) {
        guard !isShutDown, open[origin, default: 0] < maxPerOrigin, let next = popWaiting(origin) else { return }
        connect(for: next)
    }

    /// The oldest waiting exchange that has not ended meanwhile.
    private func popWaiting(_ origin: OriginAndTarget.Origin) -> LoopExchange? {
        while var queue = waiting[origin], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[origin] = queue.isEmpty ? nil : queue
            if !next.isFinished { return next }
        }
        return nil
    }

    /// Fails every exchange not yet finished and closes every connection.
    func shutdown() -> EventLoopFuture<Void> {
        loop.assertInEventLoop()
        isShutDown = true
        let exchanges = inFlight.values
        inFlight = [:]
        waiting = [:]
        for exchange in exchanges { exchange.fail(.shutDown) }
        let closing = connections.values.map { connection -> EventLoopFuture<Void> in
            connection.close()
            return connection.closeFuture ?? loop.makeSucceededVoidFuture()
        }
        idle = [:]
        return EventLoopFuture.andAllComplete(closing, on: loop)
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    /// The system's words for why a connection could not be made ("Connection refused").
    static func reason(_ error: any Error) -> String {
        if let failure = error as? NIOConnectionError {
            if failure.dnsAError != nil || failure.dnsAAAAError != nil, failure.connectionErrors.isEmpty {
                return "Could not resolve host: \(failure.host)"
            }
            if let first = failure.connectionErrors.first { return reason(first.error) }
        }
        if let io = error as? IOError { return UpstreamConnection.text(of: io) }
        if case ChannelError.connectTimeout = error { return "Connection timed out" }
        return "\(error)"
    }
}
