import Synchronization

/// A stopping gateway's drain, shared by the server, the responder and the
/// streams: once it begins `/readyz` answers 503 (load balancers stop
/// sending), and once the drain deadline passes every stream still open is
/// ended with an error event instead of being cut mid-chunk by the
/// connection closing. Requests read two atomics; nothing waits on a lock.
public final class GatewayDrain: Sendable {
    private let draining = Atomic<Bool>(false)
    private let ended = Atomic<Bool>(false)
    private let open = Atomic<Int>(0)

    public init() {}

    /// Thrown into a stream's read when the drain deadline has passed.
    struct StreamEnded: Error {}

    /// The gateway stops being ready; called as the listener stops accepting.
    public func begin() { draining.store(true, ordering: .releasing) }

    public var isDraining: Bool { draining.load(ordering: .acquiring) }

    /// Streams open now (answers being relayed chunk by chunk).
    public var openStreams: Int { open.load(ordering: .acquiring) }

    /// Ends every stream still open (each notices within ``UpstreamDeadline/drainLook``);
    /// returns how many were open, for the log.
    @discardableResult
    public func endStreams() -> Int {
        ended.store(true, ordering: .releasing)
        return openStreams
    }

    var streamsEnded: Bool { ended.load(ordering: .acquiring) }

    func streamOpened() { open.add(1, ordering: .relaxed) }
    func streamClosed() { open.subtract(1, ordering: .relaxed) }
}
