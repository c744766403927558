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
        guard let port = bindToKernelsPickOfALoopbackPort(descriptor), !listening || listen(descriptor, 8) == 0 else {
            close(descriptor)
            throw Failure(description: "bind(), getsockname() or listen() failed: errno \(errno)")
        }
        self.descriptor = descriptor
        self.port = port
    }

    /// http://127.0.0.1:port, for a URL that must not answer.
    public var base: String { "http://127.0.0.1:\(port)" }

    deinit { close(descriptor) }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }
}
