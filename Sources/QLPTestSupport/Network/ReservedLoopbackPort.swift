#if canImport(Glibc)
    import Glibc
#endif

/// A loopback port that refuses connections and that no other test can take
/// while this value lives: a socket bound to it but never listening (a port
/// merely opened and closed could be handed to a server another test starts
/// in parallel). With `listening`, the socket listens but never accepts:
/// connections complete in the kernel's backlog and then hear nothing, a
/// server that hangs before its greeting.
public final class ReservedLoopbackPort {
    public let port: Int
    private let descriptor: Int32

    public init(listening: Bool = false) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        let named =
            bound == 0
            ? withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            } : -1
        guard named == 0, !listening || listen(descriptor, 8) == 0 else {
            close(descriptor)
            throw Failure(description: "bind(), getsockname() or listen() failed: errno \(errno)")
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// http://127.0.0.1:port, for a URL that must not answer.
    public var base: String { "http://127.0.0.1:\(port)" }

    deinit { close(descriptor) }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }
}
