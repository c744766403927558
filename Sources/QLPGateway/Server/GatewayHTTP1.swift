import Hummingbird
import HummingbirdCore

extension HTTPServerBuilder {
    /// HTTP/1.1 for the gateway's listeners, the data plane and the admin API (see
    /// `HTTP1Channel.Configuration.gateway`).
    static func gatewayHTTP1(idleTimeout: Double) -> HTTPServerBuilder {
        let configuration = HTTP1Channel.Configuration.gateway(idleTimeout: idleTimeout)
        return HTTPServerBuilder { responder in HTTP1Channel(responder: responder, configuration: configuration) }
    }
}

extension HTTP1Channel.Configuration {
    /// Connections idle for `idleTimeout` seconds close; a graceful shutdown closes an idle connection only after
    /// the event loop has read what its client had already sent (`QuiesceAfterPendingInput`).
    static func gateway(idleTimeout: Double) -> Self {
        .init(additionalChannelHandlers: [QuiesceAfterPendingInput()], idleTimeout: .nanoseconds(Int64(idleTimeout * 1e9)))
    }
}
