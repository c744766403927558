import NIOCore
import NIOPosix
import Synchronization

/// Waits for a moment on NIO's singleton event loops (the ones Hummingbird
/// runs on), for the deadline a streamed attempt's head and first chunk are
/// raced against.
///
/// Not `Task.sleep`: a cancelled `Task.sleep` returns at once, but the
/// runtime keeps its timer, and the sleeping task with it, until the original
/// deadline. Raced against each request with gateway.request_timeout (120 s)
/// and cancelled as soon as the upstream answered, that held about 700 bytes
/// per request for two minutes: RSS grew by ~5 MB a second under load, to
/// hundreds of megabytes. A cancelled NIO scheduled task leaves the event
/// loop's queue at once.
enum UpstreamTimer {
    /// Returns at `deadline`; throws `CancellationError` as soon as the calling task is cancelled.
    static func sleep(until deadline: NIODeadline) async throws {
        let wait = Wait()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                wait.start(continuation, deadline: deadline, on: MultiThreadedEventLoopGroup.singleton.any())
            }
        } onCancel: {
            wait.cancel()
        }
    }

    /// One wait's continuation and timer: whichever of the timer and the
    /// cancellation comes first resumes it, once.
    private final class Wait: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Void, any Error>?
            var timer: Scheduled<Void>?
            var cancelled = false
        }

        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<Void, any Error>, deadline: NIODeadline, on loop: any EventLoop) {
            // Under the lock the cancellation takes: a cancellation that came before this (its handler
            // found nothing to resume) is seen here; one after finds the continuation and the timer.
            let cancelledFirst = state.withLock { state -> Bool in
                if state.cancelled || Task.isCancelled { return true }
                state.continuation = continuation
                state.timer = loop.scheduleTask(deadline: deadline) { [self] in self.finish(cancelled: false) }
                return false
            }
            if cancelledFirst { continuation.resume(throwing: CancellationError()) }
        }

        func cancel() { finish(cancelled: true) }

        private func finish(cancelled: Bool) {
            let (continuation, timer) = state.withLock { state in
                if cancelled { state.cancelled = true }
                defer {
                    state.continuation = nil
                    state.timer = nil
                }
                return (state.continuation, state.timer)
            }
            guard cancelled else {
                continuation?.resume()
                return
            }
            // The timer leaves the loop's queue now, not at its deadline.
            timer?.cancel()
            continuation?.resume(throwing: CancellationError())
        }
    }
}
