import Hummingbird
import NIOCore

/// Hummingbird's basic request context plus the event loop of the client's
/// connection, which the upstream client keeps its connection on.
struct GatewayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let eventLoop: any EventLoop

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        eventLoop = source.channel.eventLoop
    }
}
