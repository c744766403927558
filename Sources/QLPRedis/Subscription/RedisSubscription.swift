import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Pub/sub on a connection of its own (SUBSCRIBE turns a connection into a subscriber that can run no
/// other command). After a lost connection it subscribes again, waiting as `ReconnectBackoff` says, and
/// says so: `.disconnected` when the connection goes, `.subscribed` when it is back, so the consumer can
/// re-read whatever was published in between (pub/sub does not keep it).
public final class RedisSubscription: Sendable {
    public enum Event: Sendable, Equatable {
        case subscribed
        case message(channel: String, payload: String)
        case disconnected(RedisError)
    }

    public let url: RedisURL
    public let channels: [String]
    private let connector: RedisConnector
    private let clock: any Clock<Duration>
    private let running = Mutex<Running>(Running())

    private struct Running {
        var loop: Task<Void, Never>?
        var channel: (any Channel)?
        var stopped = false
    }

    public convenience init(
        url: RedisURL, channels: [String], tls: RedisTLSSettings = RedisTLSSettings(),
        logger: Logger = Logger(label: "qlp.redis.subscription")
    ) {
        self.init(url: url, channels: channels, tls: tls, clock: ContinuousClock(), logger: logger)
    }

    /// `clock` paces the reconnects (tests pass one that does not wait).
    init(
        url: RedisURL, channels: [String], tls: RedisTLSSettings, clock: any Clock<Duration>, logger: Logger,
        connectTimeout: Duration = .seconds(2)
    ) {
        self.url = url
        self.channels = channels
        self.clock = clock
        connector = RedisConnector(
            url: url, tlsSettings: tls, connectTimeout: connectTimeout, commandTimeout: .seconds(2),
            group: MultiThreadedEventLoopGroup.singleton, logger: logger)
    }

    deinit {
        running.withLock { $0.loop?.cancel() }
    }

    /// The events, for one consumer; starts subscribing. The stream ends when `stop()` is called.
    public func events() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self)
        running.withLock { running in
            guard running.loop == nil, !running.stopped else {
                continuation.finish()
                return
            }
            running.loop = Task { [self] in
                await subscribeUntilStopped(continuation)
                continuation.finish()
            }
        }
        return stream
    }

    public func stop() async {
        let loop = running.withLock { running in
            running.stopped = true
            running.loop?.cancel()
            running.channel?.close(promise: nil)
            return running.loop
        }
        await loop?.value
    }

    private func subscribeUntilStopped(_ events: AsyncStream<Event>.Continuation) async {
        var backoff = ReconnectBackoff()
        while !Task.isCancelled {
            let error = await subscribeOnce(events, backoff: &backoff)
            guard !Task.isCancelled else { return }
            if backoff.failuresInARow == 0 { events.yield(.disconnected(error)) }
            let delay = backoff.failed()
            connector.logger.info(
                "Redis subscription lost; retrying",
                metadata: [
                    "redis": "\(url.address)", "error": "\(error)", "retry_in": "\(delay)",
                ])
            do { try await clock.sleep(for: delay) } catch { return }
        }
    }

    /// Connects, subscribes and relays messages until the connection ends; returns why it ended.
    private func subscribeOnce(_ events: AsyncStream<Event>.Continuation, backoff: inout ReconnectBackoff) async -> RedisError {
        let (pushes, pushContinuation) = AsyncStream.makeStream(of: RESPValue.self)
        let channel: any Channel
        do {
            channel = try await connector.connect(pushes: pushContinuation)
        } catch {
            return error
        }
        let stopped = running.withLock { running in
            running.channel = channel
            return running.stopped
        }
        defer {
            channel.close(promise: nil)
            running.withLock { if $0.channel === channel { $0.channel = nil } }
        }
        if stopped { return .connectionLost(address: url.address, detail: "stopped") }

        channel.writeAndFlush(RedisOutboundCommand(arguments: ["SUBSCRIBE"] + channels, reply: nil), promise: nil)
        var confirmed = Set<String>()
        let wanted = Set(channels)
        for await push in pushes {
            if case .error(let message) = push { return .server(address: url.address, message: message) }
            guard let parts = push.array, let kind = parts.first?.string?.lowercased() else {
                return .protocolViolation(address: url.address, detail: "a subscriber received something other than a push")
            }
            switch kind {
            case "subscribe":
                guard parts.count == 3, let name = parts[1].string else { continue }
                confirmed.insert(name)
                if confirmed == wanted {
                    backoff.subscribed()
                    events.yield(.subscribed)
                }
            case "message":
                guard parts.count == 3, let name = parts[1].string, let payload = parts[2].string else { continue }
                events.yield(.message(channel: name, payload: payload))
            default:
                continue
            }
        }
        return .connectionLost(address: url.address, detail: "the server closed the connection")
    }
}
