import Foundation

/// Runs work that blocks (waiting for a child process, a socket read with a
/// timeout, a short-lived command) on a thread of its own, and suspends until
/// it is done. Async code shares a pool of one thread per core: work that
/// blocks one of those stalls every other task's timers and I/O in the
/// process. Measured on 2 cores: beside two 3 s `usleep`s, a 50 ms
/// `Task.sleep` resumed after 3 s, and a whole-suite run saw a load test send
/// nothing for 4 s and a Redis fixture miss its 10 s start.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (done: CheckedContinuation<T, any Error>) in
        Thread { done.resume(with: Result { try work() }) }.start()
    }
}

/// `onOwnThread` for work that cannot fail.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (done: CheckedContinuation<T, Never>) in
        Thread { done.resume(returning: work()) }.start()
    }
}
