import Synchronization

/// Lets a key press cut a poller's wait short. `wait(for:)` returns after the
/// duration or as soon as `wake()` is called, whichever comes first; a wake
/// with nobody waiting is remembered for the next wait.
public final class WakeSignal: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    public init() {}

    public func wake() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// - Returns: true when woken, false when the time ran out.
    @discardableResult
    public func wait(for duration: Duration) async -> Bool {
        if state.withLock({ s in
            defer { s.pending = false }
            return s.pending
        }) {
            return true
        }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await Task.sleep(for: duration)
                return false
            }
            group.addTask { [self] in
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                        let resumeNow = state.withLock { s -> Bool in
                            if s.pending {
                                s.pending = false
                                return true
                            }
                            // Cancelled before the waiter is stored, onCancel found nothing to resume and will
                            // not run again: suspending now would never end (and the task group, waiting for
                            // this child, neither). The flag is set before onCancel runs, and onCancel takes this
                            // lock, so a cancellation either is seen here or finds the waiter stored.
                            if Task.isCancelled { return true }
                            s.waiter = c
                            return false
                        }
                        if resumeNow { c.resume() }
                    }
                } onCancel: { [self] in
                    let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                        defer { s.waiter = nil }
                        return s.waiter
                    }
                    waiter?.resume()
                }
                return !Task.isCancelled
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
