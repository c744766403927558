import NIOCore
import NIOHTTPTypes

/// Holds a graceful shutdown's "quiesce" back from Hummingbird's connection
/// state handler until the event loop has read what the client had already
/// sent.
///
/// On that event Hummingbird closes a connection with no request in progress
/// at once. A request its client has already sent may be waiting unread in
/// the socket: the loop reads sockets only between runs of its task queue,
/// and with request tasks on the loop that queue can be long. Closing a
/// socket with unread input sends a reset, so that request would fail
/// although it arrived before the drain began. Once read, it counts as in
/// progress: Hummingbird answers it and closes after the response.
///
/// Exact where the kernel says how many bytes the connection received
/// (`KernelReceivedBytes`): the event waits, one poll at a time, until the
/// bytes read (`ClientInputWatch`) have caught up, for at most `mostPolls`.
/// Elsewhere it waits one poll, which is a rule and not a guarantee.
final class QuiesceAfterPendingInput: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    /// A delay rather than the next task: the loop runs every task queued while it runs its queue before it
    /// polls again, so an immediate task would run before the poll, and a delayed one, as a rule, after it.
    static let onePoll: TimeAmount = .milliseconds(1)
    /// A client that keeps sending cannot hold the drain: after this many polls the event goes on.
    static let mostPolls = 1000

    private var held: Scheduled<Void>?

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard held == nil else { return }  // one is on its way already
        holdForInput(context: context, event: event, polls: 0)
    }

    private func holdForInput(context: ChannelHandlerContext, event: Any, polls: Int) {
        context.read()
        let loop = context.eventLoop.assumeIsolated()
        held = loop.scheduleTask(in: Self.onePoll) {
            let counted = try? context.pipeline.syncOperations.handler(type: ClientInputWatch.self).bytesRead
            KernelReceivedBytes.of(context.channel).assumeIsolated().whenComplete { result in
                let received = (try? result.get()) ?? nil
                if let received, let counted, received > counted, polls < Self.mostPolls {
                    self.holdForInput(context: context, event: event, polls: polls + 1)
                } else {
                    self.held = nil
                    context.fireUserInboundEventTriggered(event)
                }
            }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        held?.cancel()
        held = nil
    }
}
