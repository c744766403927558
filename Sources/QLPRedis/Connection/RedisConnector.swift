import Logging
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
    import Glibc
#endif

/// Opens connections to one server: TCP (and TLS for rediss://), then AUTH and SELECT, so what it hands
/// back is ready for commands.
struct RedisConnector: Sendable {
    let url: RedisURL
    let tlsSettings: RedisTLSSettings
    let connectTimeout: Duration
    let commandTimeout: Duration
    let group: any EventLoopGroup
    let logger: Logger

    var address: String { url.address }

    /// A logged-in connection. With `pushes`, replies nobody waits for (pub/sub messages) go there and
    /// it finishes when the connection closes.
    func connect(pushes: AsyncStream<RESPValue>.Continuation? = nil) async throws(RedisError) -> any Channel {
        let address = self.address
        let sslContext: NIOSSLContext?
        do {
            sslContext = url.tls ? try makeSSLContext() : nil
        } catch {
            throw .unreachable(address: address, detail: "TLS setup failed: \(error)")
        }
        // SNI and hostname checks need a name; for an IP address NIOSSL checks the certificate against
        // the peer's address instead.
        let serverHostname = url.host.isIPAddress ? nil : url.host
        let handshake = group.any().makePromise(of: Void.self)
        let bootstrap = ClientBootstrap(group: handshake.futureResult.eventLoop)
            .connectTimeout(TimeAmount(connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let sslContext {
                        try sync.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname))
                        try sync.addHandler(TLSHandshakeWaiter(done: handshake))
                    } else {
                        handshake.succeed(())
                    }
                    try sync.addHandler(ByteToMessageHandler(RESPFrameDecoder()))
                    try sync.addHandler(RedisPipelineHandler(address: address, pushes: pushes))
                }
            }

        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: url.host, port: url.port).get()
        } catch {
            handshake.fail(error)
            throw .unreachable(address: address, detail: Self.connectFailure(error))
        }
        do {
            let timeout = channel.eventLoop.scheduleTask(in: TimeAmount(connectTimeout)) {
                handshake.fail(ConnectTimeout())
            }
            defer { timeout.cancel() }
            try await handshake.futureResult.get()
        } catch {
            channel.close(promise: nil)
            throw .unreachable(
                address: address,
                detail: error is ConnectTimeout
                    ? "TLS handshake not finished within the connect timeout" : "TLS handshake failed: \(error)")
        }

        do throws(RedisError) {
            try await logIn(on: channel)
        } catch {
            channel.close(promise: nil)
            throw error
        }
        logger.debug("connected to Redis", metadata: ["redis": "\(url)"])
        return channel
    }

    /// AUTH (with the user name if there is one) and SELECT, each checked: a connection that failed
    /// either must not be used, or commands would run as the wrong user or in the wrong database.
    private func logIn(on channel: any Channel) async throws(RedisError) {
        if let password = url.password {
            let arguments = ["AUTH"] + (url.username.map { [$0] } ?? []) + [password.reveal()]
            let reply = try await request(arguments, on: channel)
            if case .error(let message) = reply {
                let who = url.username.map { "user '\($0)'" } ?? "the default user"
                throw .server(
                    address: address,
                    message: "AUTH as \(who) refused (check the user and password in the Redis URL): \(message)")
            }
        }
        if url.database != 0 {
            if case .error(let message) = try await request(["SELECT", String(url.database)], on: channel) {
                throw .server(address: address, message: "SELECT \(url.database) refused: \(message)")
            }
        }
    }

    /// Writes one command and waits for its reply (error replies are returned, not thrown). A command
    /// not answered in time closes the connection: the server is stuck or the link is, and every later
    /// reply on it would come late as well.
    func request(_ arguments: [String], on channel: any Channel) async throws(RedisError) -> RESPValue {
        let reply = channel.eventLoop.makePromise(of: RESPValue.self)
        let written = channel.eventLoop.makePromise(of: Void.self)
        let address = self.address
        written.futureResult.whenFailure { error in
            reply.fail(error as? RedisError ?? .connectionLost(address: address, detail: "\(error)"))
        }
        let timeout = channel.eventLoop.scheduleTask(in: TimeAmount(commandTimeout)) {
            let command = RedisError.commandName(arguments)
            reply.fail(RedisError.timeout(address: address, command: command))
            // The commands queued behind it learn why the connection went.
            channel.pipeline.fireErrorCaught(
                RedisError.connectionLost(
                    address: address, detail: "closed after \(command) got no reply within the command timeout"))
        }
        reply.futureResult.whenComplete { _ in timeout.cancel() }
        channel.writeAndFlush(RedisOutboundCommand(arguments: arguments, reply: reply), promise: written)
        do {
            return try await reply.futureResult.get()
        } catch let error as RedisError {
            throw error
        } catch {
            throw .connectionLost(address: address, detail: "\(error)")
        }
    }

    private func makeSSLContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile = tlsSettings.caFile {
            configuration.additionalTrustRoots = [.file(caFile)]
        }
        return try NIOSSLContext(configuration: configuration)
    }

    private static func connectFailure(_ error: any Error) -> String {
        switch error {
        case ChannelError.connectTimeout: "no answer within the connect timeout"
        case let error as NIOConnectionError:
            // The per-address errors say "connection refused" or the DNS failure.
            error.connectionErrors.first.map { connectFailure($0.error) }
                ?? (error.dnsAAAAError ?? error.dnsAError).map { "name not resolved: \($0)" } ?? "\(error)"
        case let error as IOError: String(cString: strerror(error.errnoCode))
        default: "\(error)"
        }
    }

    private struct ConnectTimeout: Error {}
}

extension String {
    var isIPAddress: Bool {
        (try? SocketAddress(ipAddress: self, port: 0)) != nil
    }
}
