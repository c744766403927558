import NIOCore
import NIOHTTPTypes

/// Holds a graceful shutdown's "quiesce" back from Hummingbird's connection
/// state handler until the event loop has, as a rule, polled its sockets once
/// more.
///
/// On that event Hummingbird closes a connection with no request in progress
/// at once. A request its client has already sent may be waiting unread in
/// the socket: the loop reads sockets only between runs of its task queue.
/// Closing a socket with unread input sends a reset, so that request fails
/// although it arrived before the drain began. After one more poll such a
/// request has been read and counts as in progress: Hummingbird answers it
/// and closes after the response.
///
/// Not exact: a loop still running queued tasks 1 ms later (tasks arriving
/// from other threads as fast as it runs them) runs the held event before it
/// polls. Exact would be comparing the bytes read with the socket's
/// `tcpi_bytes_received`, which glibc's `tcp_info` does not carry.
final class QuiesceAfterPendingInput: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    /// A delay rather than the next task: the loop runs every task queued while it runs its queue before it
    /// polls again, so an immediate task would run before the poll, and a delayed one, as a rule, after it.
    static let onePoll: TimeAmount = .milliseconds(1)

    private var held: Scheduled<Void>?

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard held == nil else { return }  // one is on its way already
        context.read()
        held = context.eventLoop.assumeIsolated().scheduleTask(in: Self.onePoll) {
            self.held = nil
            context.fireUserInboundEventTriggered(event)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        held?.cancel()
        held = nil
    }
}
