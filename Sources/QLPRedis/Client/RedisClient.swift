import Logging
import NIOCore
import NIOPosix
import Synchronization

/// One Redis connection used by many tasks: requests are pipelined in order on one channel and replies
/// matched first in, first out. It connects on first use and again on the first command after a
/// failure (the failed command throws; nothing is retried, since a command may have run).
public final class RedisClient: Sendable {
    public let url: RedisURL
    private let connector: RedisConnector
    private let connection = Mutex<Connection>(.idle)

    private enum Connection {
        case idle
        /// Shared by every command that arrives while the connection is being made.
        case connecting(Task<any Channel, any Error>)
        case connected(any Channel)
        case closed
    }

    public init(
        url: RedisURL, connectTimeout: Duration = .seconds(2), commandTimeout: Duration = .seconds(2),
        tls: RedisTLSSettings = RedisTLSSettings(), eventLoopGroup: (any EventLoopGroup)? = nil,
        logger: Logger = Logger(label: "qlp.redis")
    ) {
        self.url = url
        connector = RedisConnector(
            url: url, tlsSettings: tls, connectTimeout: connectTimeout, commandTimeout: commandTimeout,
            group: eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton, logger: logger)
    }

    deinit {
        if case .connected(let channel) = connection.withLock({ $0 }) { channel.close(promise: nil) }
    }

    /// Runs one command. An error reply (-ERR ...) throws `.server`.
    public func send(_ arguments: [String]) async throws(RedisError) -> RESPValue {
        guard !arguments.isEmpty else {
            throw .protocolViolation(address: url.address, detail: "an empty command cannot be sent")
        }
        let channel = try await readyChannel()
        let reply = try await connector.request(arguments, on: channel)
        if case .error(let message) = reply { throw .server(address: url.address, message: message) }
        return reply
    }

    public func send(_ arguments: String...) async throws(RedisError) -> RESPValue {
        try await send(arguments)
    }

    /// EVALSHA, and EVAL once if the server does not have the script (after a restart or SCRIPT FLUSH);
    /// EVAL caches it for the next EVALSHA.
    public func run(_ script: RedisScript, keys: [String], arguments: [String]) async throws(RedisError) -> RESPValue {
        let tail = [String(keys.count)] + keys + arguments
        do {
            return try await send(["EVALSHA", script.sha1] + tail)
        } catch .server(_, let message) where message.hasPrefix("NOSCRIPT") {
            return try await send(["EVAL", script.source] + tail)
        }
    }

    /// Closes the connection; commands after this throw `.connectionLost`.
    public func close() async {
        let previous = connection.withLock { state in
            defer { state = .closed }
            return state
        }
        switch previous {
        case .connected(let channel):
            try? await channel.close()
        case .connecting(let task):
            task.cancel()
            if let channel = try? await task.value { try? await channel.close() }
        case .idle, .closed:
            break
        }
    }

    private func readyChannel() async throws(RedisError) -> any Channel {
        enum Next {
            case use(any Channel)
            case wait(Task<any Channel, any Error>)
        }
        let connector = self.connector
        let next: Next = connection.withLock { state in
            switch state {
            case .connected(let channel) where channel.isActive:
                return .use(channel)
            case .connecting(let task):
                return .wait(task)
            case .closed:
                return .wait(Task { throw RedisError.connectionLost(address: connector.address, detail: "the client was closed") })
            case .idle, .connected:
                let task = Task<any Channel, any Error> { try await connector.connect() }
                state = .connecting(task)
                return .wait(task)
            }
        }
        switch next {
        case .use(let channel):
            return channel
        case .wait(let task):
            let result = await task.result
            let stillOpen = connection.withLock { state in
                guard case .connecting(let current) = state, current == task else {
                    if case .closed = state { return false }
                    return true
                }
                switch result {
                case .success(let channel):
                    state = .connected(channel)
                    channel.closeFuture.whenComplete { [weak self] _ in
                        self?.connection.withLock { state in
                            if case .connected(let current) = state, current === channel { state = .idle }
                        }
                    }
                case .failure:
                    state = .idle
                }
                return true
            }
            switch result {
            case .success(let channel):
                guard stillOpen else {
                    channel.close(promise: nil)
                    throw .connectionLost(address: url.address, detail: "the client was closed")
                }
                return channel
            case .failure(let error as RedisError):
                throw error
            case .failure(let error):
                throw .unreachable(address: url.address, detail: "\(error)")
            }
        }
    }
}
