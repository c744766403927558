import NIOCore

/// The moment (on MonotonicClock) by which an upstream must have delivered
/// what the gateway is waiting for. Each attempt's transfer gets the time
/// left to it as its libcurl timeout; a stream's later reads are also raced
/// against this moment, and against a stopping gateway's drain, so that an
/// upstream that sends its headers and then nothing cannot hold a request
/// past gateway.request_timeout.
struct UpstreamDeadline: Sendable {
    /// MonotonicClock seconds.
    var at: Double
    /// A stream's reads also end when a stopping gateway's drain deadline passes.
    var drain: GatewayDrain?

    /// How often a read that may be ended by the drain looks whether it has been (seconds).
    static let drainLook = 0.1

    /// MonotonicClock seconds as NIO's deadline (NIO's uptime clock is MonotonicClock's).
    static func nioDeadline(_ seconds: Double) -> NIODeadline { .uptimeNanoseconds(UInt64(max(0, seconds) * 1e9)) }

    var secondsLeft: Double { at - MonotonicClock.now }

    /// Thrown by `race` when the deadline came first.
    struct Passed: Error {}

    /// `operation`'s result, or `Passed` when the deadline comes first; the
    /// operation is then cancelled, which closes the upstream connection.
    func race<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let left = secondsLeft
        guard left > 0 else { throw Passed() }
        if drain?.streamsEnded == true { throw GatewayDrain.StreamEnded() }
        let at = self.at
        let drain = self.drain
        return try await withThrowingTaskGroup(of: Raced<T>.self) { group in
            group.addTask { .finished(try await operation()) }
            group.addTask {
                // Not Task.sleep, whose cancelled timers outlive the race (see UpstreamTimer).
                guard let drain else {
                    try await UpstreamTimer.sleep(until: Self.nioDeadline(at))
                    return .deadline
                }
                // In slices, so a drain that ends streams is noticed without a wake-up per stream.
                while true {
                    let remaining = at - MonotonicClock.now
                    if remaining <= 0 { return .deadline }
                    if drain.streamsEnded { return .drained }
                    try await UpstreamTimer.sleep(until: Self.nioDeadline(MonotonicClock.now + min(remaining, Self.drainLook)))
                }
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw Passed() }
            switch first {
            case .finished(let value): return value
            case .deadline: throw Passed()
            case .drained: throw GatewayDrain.StreamEnded()
            }
        }
    }

    private enum Raced<T: Sendable>: Sendable {
        case finished(T)
        case deadline
        case drained
    }
}
