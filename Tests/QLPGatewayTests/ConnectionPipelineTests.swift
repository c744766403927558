import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import QLPGateway

/// The gateway's HTTP/1.1 connections: what a graceful shutdown does to a
/// request that reached an idle connection just before it.
@Suite(.timeLimit(.minutes(1))) struct ConnectionPipelineTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// One connection through the gateway's pipeline (`HTTP1Channel.setup` with the gateway's configuration), on a
    /// testing loop whose clock the test moves; `body` runs while the connection is in use.
    static func withConnection(_ body: (NIOAsyncTestingChannel) async throws -> Void) async throws {
        let channel = NIOAsyncTestingChannel()
        let http = HTTP1Channel(responder: { _, _, _ in }, configuration: .gateway(idleTimeout: 60))
        let connection = try await channel.testingEventLoop.executeInContext {
            http.setup(channel: channel, logger: logger)
        }.get()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).get()
        try await connection.executeThenClose { _, _ in try await body(channel) }
    }

    static let request = ByteBuffer(
        string: "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")

    static func quiesce(_ channel: NIOAsyncTestingChannel) async throws {
        try await channel.testingEventLoop.executeInContext {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    @Test func aRequestReadInTheTickOfTheShutdownIsAnsweredBeforeTheConnectionCloses() async throws {
        try await Self.withConnection { channel in
            // The drain reaches the connection while its client's request is still unread in the socket...
            try await Self.quiesce(channel)
            #expect(channel.isActive, "closed with the request unread: the client gets a reset")
            // ... which the loop's next poll reads.
            try await channel.writeInbound(Self.request)
            await channel.testingEventLoop.advanceTime(by: QuiesceAfterPendingInput.onePoll)
            #expect(channel.isActive, "closed before answering a request that arrived before the drain")
            try await channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
            try await channel.writeOutbound(HTTPResponsePart.end(nil))
            #expect(!channel.isActive, "still open after the last response of a drain")
        }
    }

    @Test func anIdleConnectionClosesAfterOnePoll() async throws {
        try await Self.withConnection { channel in
            try await Self.quiesce(channel)
            try await Self.quiesce(channel)
            await channel.testingEventLoop.advanceTime(by: QuiesceAfterPendingInput.onePoll)
            #expect(!channel.isActive)
        }
    }
}
