import Hummingbird
import NIOCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The request context: Hummingbird's basics plus the connection it came on,
/// so the emulator can count connections (not just requests) per emulator.
struct EmulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection, for a fault that resets it.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        ConnectionRegistry.observe(source.channel)
    }
}

/// Aborts a connection the way a crashed peer or a load balancer does: SO_LINGER
/// 0 makes the close send a TCP RST instead of a FIN.
enum ConnectionAbort {
    struct Reset: Error {}

    static func reset(_ channel: any Channel) async throws {
        if let options = channel as? any SocketOptionProvider {
            try await options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try await channel.close()
    }
}

/// Maps each running emulator's port to its statistics, so a request context
/// (created by Hummingbird, with no reference to the emulator) can report the
/// connection it belongs to.
enum ConnectionRegistry {
    private static let byPort = Mutex<[Int: EmulatorStatistics]>([:])

    static func register(port: Int, statistics: EmulatorStatistics) { byPort.withLock { $0[port] = statistics } }
    static func unregister(port: Int) { _ = byPort.withLock { $0.removeValue(forKey: port) } }

    static func observe(_ channel: any Channel) {
        guard let port = channel.localAddress?.port, let statistics = byPort.withLock({ $0[port] }) else { return }
        let id = ObjectIdentifier(channel)
        if statistics.connectionSeen(id) {
            channel.closeFuture.whenComplete { _ in statistics.connectionClosed(id) }
        }
    }
}
