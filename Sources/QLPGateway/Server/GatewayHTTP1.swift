import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

extension HTTPServerBuilder {
    /// HTTP/1.1 for the gateway's listeners, the data plane and the admin API (see
    /// `HTTP1Channel.Configuration.gateway`); with `onTheConnectionsLoop`, each
    /// connection's requests run on its event loop (`GatewayHTTP1Channel`).
    static func gatewayHTTP1(idleTimeout: Double, onTheConnectionsLoop: Bool = false) -> HTTPServerBuilder {
        let configuration = HTTP1Channel.Configuration.gateway(idleTimeout: idleTimeout)
        return HTTPServerBuilder { responder in
            GatewayHTTP1Channel(
                connection: HTTP1Channel(responder: responder, configuration: configuration),
                onTheConnectionsLoop: onTheConnectionsLoop)
        }
    }
}

extension HTTP1Channel.Configuration {
    /// Connections idle for `idleTimeout` seconds close; a graceful shutdown closes an idle connection only after
    /// the event loop has read what its client had already sent (`QuiesceAfterPendingInput`).
    static func gateway(idleTimeout: Double) -> Self {
        .init(additionalChannelHandlers: [QuiesceAfterPendingInput()], idleTimeout: .nanoseconds(Int64(idleTimeout * 1e9)))
    }
}

/// Hummingbird's HTTP/1.1 connection with the bytes read from its socket
/// counted (`ClientInputWatch`, for `QuiesceAfterPendingInput`), its work
/// cancelled when the client goes (`ClientDeparture`), and, with
/// `onTheConnectionsLoop`, its task (reading requests, running the responder,
/// writing responses) on the connection's own event loop rather than the
/// cooperative pool (README, "Where request tasks run").
struct GatewayHTTP1Channel: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let connection: HTTP1Channel.Value
        let departure: ClientDeparture
        var channel: any Channel { connection.channel }
    }

    let connection: HTTP1Channel
    let onTheConnectionsLoop: Bool

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let departure = ClientDeparture()
        do {
            try channel.pipeline.syncOperations.addHandler(ClientInputWatch(departure: departure), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return connection.setup(channel: channel, logger: logger).map { Value(connection: $0, departure: departure) }
    }

    /// Serves the connection on a task of its own, cancelled when the client goes: a client that
    /// leaves while its request waits for an upstream stops that upstream call at once (the handler
    /// would otherwise learn of it only when it writes), so the upstream stops working for nobody
    /// and a draining gateway does not wait for it.
    func handle(value: Value, logger: Logger) async {
        let connection = self.connection
        let served = value.connection
        let serving =
            onTheConnectionsLoop
            ? Task(executorPreference: EventLoopTaskExecutor(value.channel.eventLoop)) {
                await connection.handle(value: served, logger: logger)
            }
            : Task { await connection.handle(value: served, logger: logger) }
        value.departure.whenGone { serving.cancel() }
        await withTaskCancellationHandler {
            await serving.value
        } onCancel: {
            serving.cancel()
        }
    }
}
