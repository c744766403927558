import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import QLPGateway

/// The kernel's count of bytes a connection received, which the graceful
/// shutdown compares with the bytes read to know whether a request waits
/// unread in the socket (`QuiesceAfterPendingInput`).
@Suite(.timeLimit(.minutes(1))) struct KernelReceivedBytesTests {
    private static func bytesRead(_ channel: any Channel) async throws -> UInt64 {
        try await channel.eventLoop.submit { try channel.pipeline.syncOperations.handler(type: ClientInputWatch.self).bytesRead }.get()
    }

    @Test func bytesWaitingUnreadAreCountedByTheKernelAndNotYetByThePipeline() async throws {
        let accepted = Mutex<(any Channel)?>(nil)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            // Nothing is read until the test asks: the bytes stay in the socket.
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ClientInputWatch())
                    accepted.withLock { $0 = channel }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: server.localAddress?.port ?? 0).get()
        defer {
            client.close(promise: nil)
            server.close(promise: nil)
        }
        try await client.writeAndFlush(ByteBuffer(repeating: 0x61, count: 1000)).get()

        var channel: (any Channel)?
        var received: UInt64?
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(5) {
            channel = accepted.withLock { $0 }
            if let channel { received = try await KernelReceivedBytes.of(channel).get() }
            if received == 1000 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(received == 1000, "the kernel says \(String(describing: received)) bytes received")
        let accepting = try #require(channel)
        let read = try await Self.bytesRead(accepting)
        #expect(read == 0)

        // Reading them brings the pipeline's count level with the kernel's.
        accepting.read()
        let readStarted = ContinuousClock.now
        var caughtUp: UInt64 = 0
        while ContinuousClock.now - readStarted < .seconds(5) {
            caughtUp = try await Self.bytesRead(accepting)
            if caughtUp == 1000 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(caughtUp == 1000)
    }
}
