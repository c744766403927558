import Synchronization

/// A stopping gateway's drain, shared by the server, the responder and the
/// streams: once it begins `/readyz` answers 503 (load balancers stop
/// sending), and once the drain deadline passes every stream still open is
/// ended with an error event instead of being cut mid-chunk by the
/// connection closing. Requests read atomics; a stream takes a short lock
/// only to register when it opens and when it closes.
public final class GatewayDrain: Sendable {
    private let draining = Atomic<Bool>(false)
    private let ended = Atomic<Bool>(false)
    private let open = Atomic<Int>(0)
    /// How each open stream's upstream transfer is stopped, by registration number.
    private let stops = Mutex<(next: UInt64, byID: [UInt64: @Sendable () -> Void])>((0, [:]))

    public init() {}

    /// Thrown into a stream's read when the drain deadline has passed.
    struct StreamEnded: Error {}

    /// The gateway stops being ready; called as the listener stops accepting.
    public func begin() { draining.store(true, ordering: .releasing) }

    public var isDraining: Bool { draining.load(ordering: .acquiring) }

    /// Streams open now (answers being relayed chunk by chunk).
    public var openStreams: Int { open.load(ordering: .acquiring) }

    /// Ends every stream still open: each one's upstream transfer is stopped,
    /// so a read waiting for the next chunk ends at once; returns how many
    /// were open, for the log (counted before stopping them: a stopped stream
    /// may close before this returns).
    @discardableResult
    public func endStreams() -> Int {
        ended.store(true, ordering: .releasing)
        let stopping = stops.withLock { Array($0.byID.values) }
        for stop in stopping { stop() }
        return stopping.count
    }

    var streamsEnded: Bool { ended.load(ordering: .acquiring) }

    /// A stream starts being relayed; `stop` ends its upstream transfer if the
    /// drain deadline passes first. Returns the number `streamClosed` takes.
    func streamOpened(stop: @escaping @Sendable () -> Void) -> UInt64 {
        open.add(1, ordering: .relaxed)
        return stops.withLock { registry in
            registry.next += 1
            registry.byID[registry.next] = stop
            return registry.next
        }
    }

    func streamClosed(_ registration: UInt64) {
        stops.withLock { _ = $0.byID.removeValue(forKey: registration) }
        open.subtract(1, ordering: .relaxed)
    }
}
