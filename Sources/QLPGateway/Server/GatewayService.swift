import Foundation
import Hummingbird
import Logging
import NIOCore
import QLPCore
import ServiceLifecycle
import Synchronization

/// The gateway's HTTP listener as a ServiceLifecycle service: it serves until
/// the service group shuts down gracefully (requests in flight finish), then
/// closes the upstream connections.
public struct GatewayService: Service {
    public let gateway: Gateway
    public let host: String
    public let port: Int
    private let eventLoopGroup: (any EventLoopGroup)?
    private let onListening: @Sendable (any Channel) -> Void

    /// `port` 0 picks a free port; `onListening` is given the listening channel once bound. The
    /// listener and its connections run on `eventLoopGroup` (NIO's shared group unless a test needs its own).
    public init(
        gateway: Gateway, host: String? = nil, port: Int? = nil, eventLoopGroup: (any EventLoopGroup)? = nil,
        onListening: @escaping @Sendable (any Channel) -> Void = { _ in }
    ) {
        self.gateway = gateway
        self.host = host ?? gateway.settings.host
        self.port = port ?? gateway.settings.port
        self.eventLoopGroup = eventLoopGroup
        self.onListening = onListening
    }

    public func run() async throws {
        let onListening = self.onListening
        let app = Application(
            responder: GatewayResponder(
                gateway: gateway,
                callers: HostAndOriginPolicy(
                    listenHost: host, allowedHosts: gateway.settings.allowedHosts, allowedOrigins: gateway.settings.allowedOrigins)),
            // Connections with no request in progress close after gateway.idle_timeout, so slow or silent clients cannot
            // hold sockets until the process runs out of descriptors (responses in progress, long streams too, are not cut).
            // With the event loop upstream client, a request runs start to end on its connection's loop.
            server: .gatewayHTTP1(
                idleTimeout: gateway.settings.idleTimeout.seconds,
                onTheConnectionsLoop: gateway.settings.upstreamClient == .eventLoop),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "qlp-gateway", backlog: 1024),
            onServerRunning: { channel in
                await ListenerAcceptBatch.apply(to: channel)
                onListening(channel)
            },
            eventLoopGroupProvider: eventLoopGroup.map { .shared($0) } ?? .singleton,
            logger: gateway.logger)
        do {
            // Run as a service of the caller's group, not `runService()`, whose own group would close the
            // listener on SIGTERM at once: `GatewayServer.stop` decides when (after the accept queue).
            try await app.run()
        } catch {
            await gateway.shutdown()
            throw error
        }
        await gateway.shutdown()
    }
}

/// A gateway started and stopped from code (`qlp gateway`, tests,
/// benchmarks): a service group of the GatewayService and the services that
/// run alongside it (the admin API, the probes).
public final class GatewayServer: Sendable {
    public let gateway: Gateway
    private let alongside: [any Service]
    private let running = Mutex<(group: ServiceGroup?, task: Task<Void, Never>?)>((nil, nil))
    /// The listening socket, for the length of its accept queue when draining.
    private let listener = Mutex<(any Channel)?>(nil)

    public init(gateway: Gateway, alongside: [any Service] = []) {
        self.gateway = gateway
        self.alongside = alongside
    }

    public enum StartError: Error, CustomStringConvertible {
        case cannotListen(host: String, port: Int, reason: String)
        case openBeyondLoopback(host: String)

        public var description: String {
            switch self {
            case .openBeyondLoopback(let host):
                "the gateway will not listen on \(host), beyond loopback, without client keys: anyone who can reach it could "
                    + "spend the upstreams' credit; set gateway.client_key_sha256 (printf %s \"$KEY\" | qlp gateway hash-key), "
                    + "or listen on 127.0.0.1"
            case .cannotListen(let host, let port, let reason):
                "the gateway cannot listen on \(host):\(port == 0 ? "a free port" : String(port)): \(reason)"
            }
        }
    }

    /// Starts listening and returns the base URL (http://127.0.0.1:PORT) once bound.
    public func start(host: String = "127.0.0.1", port: Int = 0) async throws(StartError) -> String {
        guard LoopbackHost.contains(host) || gateway.keys.required else {
            // As after a failed bind: the upstream connections close with the refusal.
            await gateway.shutdown()
            throw .openBeyondLoopback(host: host)
        }
        let bound = AsyncStream<Int>.makeStream()
        let service = GatewayService(gateway: gateway, host: host, port: port) { [self] channel in
            listener.withLock { $0 = channel }
            bound.continuation.yield(channel.localAddress?.port ?? 0)
            bound.continuation.finish()
        }
        let logger = gateway.logger
        var configuration = ServiceGroupConfiguration(services: [service] + alongside, logger: logger)
        // A backstop behind the drain (see `stop`): whatever is still running a few seconds after the
        // drain deadline (a non-streamed request waiting on its upstream) is cancelled, so the process exits.
        configuration.maximumGracefulShutdownDuration = gateway.settings.drainTimeout + Self.afterDrainDeadline
        configuration.maximumCancellationDuration = .seconds(2)
        let group = ServiceGroup(configuration: configuration)
        let failure = Mutex<(any Error)?>(nil)
        let task = Task {
            do {
                try await group.run()
            } catch {
                failure.withLock { $0 = error }
            }
            bound.continuation.finish()
        }
        running.withLock { $0 = (group, task) }
        var boundPort: Int?
        for await p in bound.stream { boundPort = p }
        guard let boundPort, boundPort > 0 else {
            running.withLock { $0 = (nil, nil) }
            let reason = failure.withLock { $0 }.map { "\($0)" } ?? "the server stopped before listening"
            throw .cannotListen(host: host, port: port, reason: reason)
        }
        return "http://\(host):\(boundPort)"
    }

    /// How long past the drain deadline the service group waits before cancelling what is left.
    static let afterDrainDeadline: Duration = .seconds(3)

    /// What a drain came to, for the log.
    public struct DrainOutcome: Sendable, Equatable {
        /// Streams still open at the deadline, ended with an error event.
        public var streamsEnded: Int
        public var seconds: Double
    }

    /// Drains and stops: /readyz says "draining"; the connections already
    /// waiting in the listener's accept queue are taken and served (closing
    /// the listener would reset them: their clients sent requests before the
    /// signal), for at most a quarter of `gateway.drain_timeout`; then the
    /// listeners stop accepting (Hummingbird's graceful shutdown: idle
    /// connections close, each busy one closes after its response), requests
    /// and streams in flight get until `gateway.drain_timeout` to finish,
    /// streams still open then are ended, and the upstream connections close.
    @discardableResult
    public func stop() async -> DrainOutcome {
        let (group, task) = running.withLock { current in
            defer { current = (nil, nil) }
            return current
        }
        let started = ContinuousClock.now
        let drain = gateway.drain
        drain.begin()
        let timeout = gateway.settings.drainTimeout
        if task != nil, let listening = listener.withLock({ $0 }) {
            let limit = min(timeout / 4, Self.acceptQueueLimit)
            if case .deadline(let queued) = await Self.serveAcceptQueue(of: listening, within: limit) {
                gateway.logger.warning(
                    "connections still arriving while draining; the rest are refused",
                    metadata: ["queued": "\(queued)", "waited": "\(limit)"])
            }
        }
        await group?.triggerGracefulShutdown()
        guard let task else { return DrainOutcome(streamsEnded: 0, seconds: 0) }
        let remaining = timeout - (ContinuousClock.now - started)
        // The deadline on its own task: the group's task is awaited whole, and when the deadline
        // comes first the streams it ends let it finish.
        let deadline = Task { () -> Int? in
            do {
                try await Task.sleep(for: remaining)
            } catch {
                return nil
            }
            return drain.endStreams()
        }
        await task.value
        deadline.cancel()
        let ended = await deadline.value ?? 0
        let elapsed = ContinuousClock.now - started
        return DrainOutcome(
            streamsEnded: ended, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// The most a drain waits for the accept queue to empty.
    static let acceptQueueLimit: Duration = .seconds(5)

    /// Keeps the listener open while the kernel's accept queue holds
    /// connections (see `AcceptQueueDrain`); the event loops go on accepting
    /// and serving them meanwhile.
    static func serveAcceptQueue(of listener: any Channel, within limit: Duration) async -> AcceptQueueDrain.Reason {
        #if os(Linux)
            guard let socket = listener as? any SocketOptionProvider else { return .unknown }
            var drain = AcceptQueueDrain(now: .now, deadline: limit)
            while true {
                // On a listening socket Linux reports the accept queue's length as tcpi_unacked.
                guard let info = try? await socket.getTCPInfo().get() else { return .unknown }
                switch drain.next(queued: Int(info.tcpi_unacked), now: .now) {
                case .look(let after): try? await Task.sleep(for: after)
                case .stop(let reason): return reason
                }
            }
        #else
            return .unknown
        #endif
    }
}
