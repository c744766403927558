import CCurl
import Dispatch
import Foundation
import Logging
import Synchronization

/// The thread that drives one libcurl multi handle, and the queue through
/// which other threads hand it work.
///
/// Only this thread calls into the multi handle and the easy handles in
/// flight; other threads only append to the mutex-protected shared state and,
/// when the loop sleeps, call `curl_multi_wakeup` (the one multi call libcurl
/// allows from any thread).
final class CurlMultiLoop: Sendable {
    private let shared = LockedState(CurlLoopSharedState())
    private let nextTransferID = Atomic<UInt64>(1)
    private let maxConcurrentTransfers: Int
    private let maxConnectionsPerHost: Int
    private let logger: Logger
    /// Nil when libcurl could not be initialised; every request then fails.
    private let multi: MultiHandle?
    /// Signalled once when the loop thread has cleaned up and is about to exit.
    private let exited = DispatchSemaphore(value: 0)
    /// So that `shutdown` called on the loop thread itself does not wait for itself.
    private let loopThread = LockedState<ObjectIdentifier?>(nil)

    /// Wraps the raw multi pointer so it may be stored in a Sendable class;
    /// see the type comment for who may use it.
    private struct MultiHandle: @unchecked Sendable {
        let raw: UnsafeMutableRawPointer
    }

    init(maxConcurrentTransfers: Int, maxConnectionsPerHost: Int? = nil, logger: Logger) {
        self.maxConcurrentTransfers = max(1, maxConcurrentTransfers)
        self.maxConnectionsPerHost = max(1, min(maxConnectionsPerHost ?? maxConcurrentTransfers, maxConcurrentTransfers))
        self.logger = logger
        if CurlGlobalInit.ensure(), let raw = curl_multi_init() {
            multi = MultiHandle(raw: raw)
        } else {
            multi = nil
            logger.error("libcurl could not be initialised; every HTTP request will fail")
        }
    }

    /// Starts the loop thread. Separate from init because the thread's block
    /// must capture a fully initialised `self`.
    func start() {
        guard let multi else { return }
        let thread = Thread { [self] in
            Self.nameCurrentThread("qlp.http.curl")
            runLoop(
                CurlMultiDriver(
                    multi: multi.raw, maxConcurrentTransfers: maxConcurrentTransfers,
                    maxConnectionsPerHost: maxConnectionsPerHost, logger: logger))
        }
        loopThread.withLock { $0 = ObjectIdentifier(thread) }
        thread.start()
    }

    /// Names the OS thread too (top -H, gdb, /proc), best effort: Foundation's
    /// `name` setter skips that when the thread runs before `start()` returns,
    /// and Swift cannot see glibc's pthread_setname_np (a _GNU_SOURCE extension).
    private static func nameCurrentThread(_ name: String) {
        Thread.current.name = name
        #if os(Linux)
            if let comm = fopen("/proc/thread-self/comm", "w") {
                fputs(name, comm)
                fclose(comm)
            }
        #endif
    }

    func makeTransferID() -> UInt64 {
        nextTransferID.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// Queues a transfer, or fails it at once if the transport is shut down
    /// or the sending task is already cancelled.
    func enqueue(_ transfer: CurlTransfer) {
        guard multi != nil else {
            transfer.finish(
                .failure(
                    .transferFailed(
                        endpoint: transfer.endpoint, breakage: .other(curlCode: Int(CURLE_FAILED_INIT.rawValue)),
                        detail: "libcurl could not be initialised")))
            return
        }
        let rejection: HTTPTransportError? = shared.withLock { state in
            if state.isShutDown { return .shutDown }
            // Checked under the lock that `cancel` takes: either the cancel
            // handler already ran (the flag is set first) or it will find
            // this transfer in the queue.
            if Task.isCancelled { return .cancelled(endpoint: transfer.endpoint) }
            state.waiting.append(transfer)
            if state.activeCount < maxConcurrentTransfers { wakeIfPolling(&state) }
            return nil
        }
        if let rejection { transfer.finish(.failure(rejection)) }
    }

    /// Cancels a transfer: a queued one here and now, an in-flight one on
    /// the loop thread.
    func cancel(transferID: UInt64) {
        let queued: CurlTransfer? = shared.withLock { state in
            if let transfer = state.waiting.remove(id: transferID) { return transfer }
            if !state.isShutDown {
                // May be stale (already finished, or never queued); the loop ignores unknown ids.
                state.cancelledIDs.append(transferID)
                wakeIfPolling(&state)
            }
            return nil
        }
        if let queued { queued.finish(.failure(.cancelled(endpoint: queued.endpoint))) }
    }

    /// Lets a paused streamed transfer receive again, on the loop thread.
    func unpause(transferID: UInt64) {
        shared.withLock { state in
            guard !state.isShutDown else { return }
            state.unpausedIDs.append(transferID)
            wakeIfPolling(&state)
        }
    }

    /// Fails queued transfers here, has the loop fail in-flight ones, and
    /// waits for the loop thread to clean up and exit. Idempotent.
    func shutdown() {
        let queued: [CurlTransfer] = shared.withLock { state in
            guard !state.isShutDown else { return [] }
            state.isShutDown = true
            wakeIfPolling(&state)
            return state.waiting.removeAll()
        }
        for transfer in queued { transfer.finish(.failure(.shutDown)) }
        let current = ObjectIdentifier(Thread.current)
        let onLoopThread = loopThread.withLock { $0 == current }
        guard multi != nil, !onLoopThread else { return }
        // Relay the signal so that every concurrent caller returns after the exit.
        exited.wait()
        exited.signal()
    }

    /// Called with the lock held: the loop frees the multi handle only after
    /// clearing `loopIsPolling` under the same lock, so the handle is alive here.
    private func wakeIfPolling(_ state: inout CurlLoopSharedState) {
        guard state.loopIsPolling, let multi else { return }
        state.loopIsPolling = false
        _ = curl_multi_wakeup(multi.raw)
    }

    /// The loop's sleep: a second at most (libcurl's own timers wake it
    /// sooner), and no later than the next first-chunk deadline (rounded up,
    /// so it wakes at or after the deadline, not just before it).
    static func pollMilliseconds(until deadline: Duration?) -> Int32 {
        guard let deadline else { return 1000 }
        return Int32(min(1000, CurlOptions.milliseconds(deadline)))
    }

    private enum LoopWork: Sendable {
        case run(start: [CurlTransfer], cancel: [UInt64], unpause: [UInt64])
        case stop
    }

    private func runLoop(_ driver: CurlMultiDriver) {
        while true {
            let free = maxConcurrentTransfers - driver.activeCount
            let work: LoopWork = shared.withLock { state in
                state.loopIsPolling = false
                if state.isShutDown { return .stop }
                var starting: [CurlTransfer] = []
                while starting.count < free, let next = state.waiting.popFirst() { starting.append(next) }
                let cancelling = state.cancelledIDs
                state.cancelledIDs.removeAll(keepingCapacity: true)
                let unpausing = state.unpausedIDs
                state.unpausedIDs.removeAll(keepingCapacity: true)
                return .run(start: starting, cancel: cancelling, unpause: unpausing)
            }
            guard case .run(let starting, let cancelling, let unpausing) = work else { break }
            for transfer in starting { driver.start(transfer) }
            // After starting, so a cancel that raced with the start still finds its transfer.
            for id in cancelling { driver.cancel(id: id) }
            for id in unpausing { driver.unpause(id: id) }
            driver.performAndCollect()
            let nextDeadline = driver.expireFirstChunkDeadlines()

            let active = driver.activeCount
            let mayPoll: Bool = shared.withLock { state in
                state.activeCount = active
                let canStartMore = !state.waiting.isEmpty && active < maxConcurrentTransfers
                if state.isShutDown || canStartMore || !state.cancelledIDs.isEmpty || !state.unpausedIDs.isEmpty {
                    return false
                }
                state.loopIsPolling = true
                return true
            }
            if mayPoll { driver.poll(timeoutMilliseconds: Self.pollMilliseconds(until: nextDeadline)) }
        }
        driver.cleanUp()
        logger.debug("HTTP transport loop stopped")
        exited.signal()
    }
}
