import Foundation

/// A value guarded by a lock.
///
/// NSLock (a pthread mutex) rather than `Synchronization.Mutex`: on Linux
/// Mutex is built on raw futex calls that ThreadSanitizer cannot see, so
/// every access under it is reported as a race and real races drown in the
/// noise. With a pthread mutex this module runs clean under `-sanitize=thread`.
final class LockedState<State: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var state: State

    init(_ state: State) {
        self.state = state
    }

    /// Runs `body` with the lock held. Keep it short, and never resume a
    /// continuation or call user code inside it.
    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
