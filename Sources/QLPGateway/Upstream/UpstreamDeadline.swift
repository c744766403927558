import NIOCore

/// What bounds one attempt at one target. `at` (MonotonicClock seconds): by
/// then the attempt must have what decides it, the whole answer or, for a
/// stream, its head and first chunk; it is the attempt's share of the time
/// left, so that a target that stalls leaves time for the next one.
/// `streamEnds`: by then a stream that did start must have ended (the
/// request's own deadline, gateway.request_timeout after it arrived), so
/// that an upstream that sends a few chunks and then nothing cannot hold a
/// request past it.
struct UpstreamDeadline: Sendable {
    var at: Double
    var streamEnds: Double

    init(at: Double, streamEnds: Double? = nil) {
        self.at = at
        self.streamEnds = max(at, streamEnds ?? at)
    }

    var secondsLeft: Double { at - MonotonicClock.now }

    /// MonotonicClock seconds as NIO's deadline (NIO's uptime clock is MonotonicClock's).
    static func nioDeadline(_ seconds: Double) -> NIODeadline { .uptimeNanoseconds(UInt64(max(0, seconds) * 1e9)) }

    /// Thrown when the deadline passed first: by `race`, and into a stream's
    /// read when `streamEnds` passed before its next chunk.
    struct Passed: Error {}

    /// `operation`'s result, or `Passed` when `at` comes first; the operation
    /// is then cancelled, which stops its transfer.
    func race<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        guard secondsLeft > 0 else { throw Passed() }
        let at = self.at
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                // Not Task.sleep, whose cancelled timers outlive the race (see UpstreamTimer).
                try await UpstreamTimer.sleep(until: Self.nioDeadline(at))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw Passed() }
            return value
        }
    }
}
