import NIOCore

/// A command on its way to the server. Without `reply`, nothing waits for an answer: in subscriber
/// mode the answers to SUBSCRIBE arrive as pushes.
struct RedisOutboundCommand {
    var arguments: [String]
    var reply: EventLoopPromise<RESPValue>?
}

/// Matches replies to commands in the order the commands were written (Redis answers in order on a
/// connection), so many tasks can pipeline on one channel. What arrives with nobody waiting goes to
/// `pushes` (pub/sub messages); without a push consumer it is a protocol violation.
final class RedisPipelineHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisOutboundCommand
    typealias OutboundOut = ByteBuffer

    private let address: String
    private let pushes: AsyncStream<RESPValue>.Continuation?
    private var waiting = CircularBuffer<EventLoopPromise<RESPValue>>()
    /// Why the channel is closing, once known: what the commands still waiting are told.
    private var failure: RedisError?

    init(address: String, pushes: AsyncStream<RESPValue>.Continuation? = nil) {
        self.address = address
        self.pushes = pushes
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = unwrapOutboundIn(data)
        if let failure {
            command.reply?.fail(failure)
            promise?.fail(failure)
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: 64)
        RESPValue.encodeCommand(command.arguments, into: &buffer)
        if let reply = command.reply { waiting.append(reply) }
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        if let reply = waiting.popFirst() {
            reply.succeed(value)
        } else if let pushes {
            pushes.yield(value)
        } else {
            fail(context: context, with: .protocolViolation(address: address, detail: "a reply arrived with no command waiting"))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let redisError: RedisError =
            switch error {
            case let error as RedisError: error
            case let error as RESPDecodingError: .protocolViolation(address: address, detail: error.detail)
            default: .connectionLost(address: address, detail: "\(error)")
            }
        fail(context: context, with: redisError)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let reason = failure ?? .connectionLost(address: address, detail: "the server closed the connection")
        failure = reason
        while let reply = waiting.popFirst() { reply.fail(reason) }
        pushes?.finish()
        context.fireChannelInactive()
    }

    private func fail(context: ChannelHandlerContext, with error: RedisError) {
        if failure == nil { failure = error }
        context.close(promise: nil)
    }
}
