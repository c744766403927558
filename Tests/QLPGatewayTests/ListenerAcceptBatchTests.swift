import Dispatch
import NIOCore
import NIOPosix
import QLPCore
import QLPRouting
import QLPTestSupport
import ServiceLifecycle
import Testing

@testable import QLPGateway

#if canImport(Glibc)
    import Glibc
#endif

/// One look at a readable listener takes every connection waiting in its
/// accept queue, not NIO's default of four. An event loop looks once per tick,
/// and a tick is as long as the work its connections queued: with requests on
/// the loops and the loops short of CPU (five CPU hogs, debug build), the
/// queue drained at about 12 connections a second, and a SIGTERM drain reset
/// the 18 to 26 connections still queued when its wait ended (2 of 3 runs).
///
/// The test holds the listener's only event loop while 40 connections queue,
/// then lets it run exactly one tick: a pipe on the same loop, made readable
/// after the listener, holds the loop again from inside that tick.
@Suite(.timeLimit(.minutes(1))) struct ListenerAcceptBatchTests {
    /// Holds its event loop from `channelRead` until released.
    final class LoopHolder: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            holding.signal()
            release.wait()
        }
    }

    @Test func oneLookAtTheListenerAcceptsItsWholeQueue() async throws {
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = loops.next()
        let table = RouteTable(version: 1, targets: [], routes: [])
        let gateway = try Gateway(settings: GatewaySettings(), routes: LiveRouteTable(table), upstream: UpstreamSettings())
        let bound = AsyncStream<Int>.makeStream()
        let service = GatewayService(gateway: gateway, host: "127.0.0.1", port: 0, eventLoopGroup: loops) { listener in
            bound.continuation.yield(listener.localAddress?.port ?? 0)
            bound.continuation.finish()
        }
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(services: [service], logger: gateway.logger))
        let running = Task { try? await services.run() }
        var port = 0
        for await p in bound.stream { port = p }
        try #require(port > 0, "the gateway never listened")

        var pipe: [Int32] = [0, 0]
        try #require(Glibc.pipe(&pipe) == 0)
        let holder = LoopHolder()
        _ = try await NIOPipeBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(holder) }
            }
            .takingOwnershipOfDescriptor(input: pipe[0]).get()
        var clients: [Int32] = []
        defer {
            holder.release.signal()
            for client in clients { close(client) }
            close(pipe[1])
        }

        // Hold the loop, and queue 40 connections at the listener meanwhile.
        // Connections made before the loop is held could be accepted first.
        let (held, firstHold) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        loop.execute {
            held.signal()
            firstHold.wait()
        }
        try #require(await Self.wait(for: held, within: .seconds(20)), "the loop never ran the task that holds it")
        for _ in 0..<40 { clients.append(try Self.connect(port: port)) }
        let queued = try await ListenerAcceptQueue.wait(port: port, toHold: 40, within: .seconds(20))
        try #require(queued == 40, "only \(queued) of 40 connections queued")

        // The pipe becomes readable after the listener did, so the next tick sees the listener first.
        try #require(write(pipe[1], [UInt8(1)], 1) == 1)
        firstHold.signal()
        try #require(await Self.wait(for: holder.holding, within: .seconds(20)), "the loop never read the pipe")
        let left = try ListenerAcceptQueue.length(port: port)
        #expect(left == 0, "one tick accepted \(40 - left) of the 40 queued connections")

        holder.release.signal()
        await services.triggerGracefulShutdown()
        await running.value
        try await loops.shutdownGracefully()
    }

    /// A connected TCP socket to 127.0.0.1:`port`; the kernel completes it whether or not the listener accepts.
    static func connect(port: Int) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0, "socket() failed: errno \(errno)")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw ConnectFailure(port: port, errno: errno)
        }
        return descriptor
    }

    struct ConnectFailure: Error, CustomStringConvertible {
        let port: Int
        let errno: Int32
        var description: String { "connect() to 127.0.0.1:\(port) failed: errno \(errno)" }
    }

    /// Waits for `semaphore` without holding a thread of the cooperative pool.
    static func wait(for semaphore: DispatchSemaphore, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if semaphore.wait(timeout: .now()) == .success { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }
}
