import Dispatch
import Foundation
import QLPCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Takes the gateway's usage rows off the hot path: `record` appends to a
/// bounded queue under a lock held only for that append (or for the drain's
/// swap of the whole queue), and `run` writes what gathered in one
/// transaction every `interval` on a thread of its own (SQLite blocks; on
/// Swift's cooperative threads it would hold up the requests' tasks). A full
/// queue drops the row and counts it, so a slow disk costs ledger rows, never
/// a request's time.
///
/// Rows still queued when the process is killed (at most one interval's
/// worth) are lost; a clean stop writes them (`stop` flushes last).
public final class UsageLedgerWriter: Sendable {
    public struct Counts: Sendable, Equatable {
        /// Rows committed to the ledger.
        public var written = 0
        /// Rows dropped because the queue was full.
        public var dropped = 0
        /// Rows lost because the ledger refused a batch (the failure is reported to `onFailure`).
        public var failed = 0
        public init() {}
    }

    public static let defaultCapacity = 50_000
    public static let defaultInterval: Duration = .milliseconds(200)

    public let ledger: any UsageLedger
    public let capacity: Int
    public let interval: Duration
    private let onFailure: @Sendable (StoreError) -> Void

    private struct Queue {
        var rows: [UsageRecord] = []
        var counts = Counts()
    }

    private let queue = Mutex(Queue())
    /// Serialises batches: the drain loop and an explicit flush never write at once (rows would land out of order).
    private let writing = Mutex(())

    public init(
        ledger: any UsageLedger, capacity: Int = defaultCapacity, interval: Duration = defaultInterval,
        onFailure: @escaping @Sendable (StoreError) -> Void = { _ in }
    ) {
        self.ledger = ledger
        self.capacity = max(1, capacity)
        self.interval = interval
        self.onFailure = onFailure
    }

    /// Queues one row; never waits on the ledger.
    public func record(_ row: UsageRecord) {
        queue.withLock { q in
            if q.rows.count >= capacity {
                q.counts.dropped += 1
            } else {
                q.rows.append(row)
            }
        }
    }

    public var counts: Counts { queue.withLock { $0.counts } }

    /// Rows waiting to be written.
    public var pending: Int { queue.withLock { $0.rows.count } }

    /// Writes what is queued now, in one transaction.
    public func flush() {
        writing.withLock { _ in
            let batch = queue.withLock { q -> [UsageRecord] in
                defer {
                    q.rows = []
                    q.rows.reserveCapacity(min(capacity, 1024))
                }
                return q.rows
            }
            guard !batch.isEmpty else { return }
            do throws(StoreError) {
                try ledger.append(batch)
                queue.withLock { $0.counts.written += batch.count }
            } catch {
                queue.withLock { $0.counts.failed += batch.count }
                onFailure(error)
            }
        }
    }

    private let thread = Mutex<(running: Bool, stopped: DispatchSemaphore?)>((false, nil))
    private let stopping = Atomic<Bool>(false)
    /// Signalled by `stop`, so the thread does not sleep out its interval first.
    private let wake = DispatchSemaphore(value: 0)

    /// Starts writing every `interval` on the writer's own thread.
    public func start() {
        let begin = thread.withLock { state -> Bool in
            guard !state.running else { return false }
            state = (true, DispatchSemaphore(value: 0))
            return true
        }
        guard begin else { return }
        stopping.store(false, ordering: .sequentiallyConsistent)
        let interval = Double(self.interval.components.seconds) + Double(self.interval.components.attoseconds) / 1e18
        let worker = Thread { [self] in
            Self.yieldToRequests()
            while !stopping.load(ordering: .sequentiallyConsistent) {
                _ = wake.wait(timeout: .now() + interval)
                flush()
            }
            flush()
            thread.withLock { $0.stopped }?.signal()
        }
        worker.name = "qlp.usage-ledger"
        worker.start()
    }

    /// Lowers this thread's scheduling priority (nice 10, Linux keeps one per
    /// thread), so that on a busy machine the requests' threads run first
    /// and the ledger catches up in their gaps: its queue has room for that.
    private static func yieldToRequests() {
        #if os(Linux)
            // who 0 is the calling thread on Linux (nice is per thread under NPTL, see setpriority(2)).
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }

    /// Writes what is queued and stops the thread; returns once it has.
    public func stop() {
        let stopped = thread.withLock { state -> DispatchSemaphore? in
            guard state.running else { return nil }
            return state.stopped
        }
        guard let stopped else { return }
        stopping.store(true, ordering: .sequentiallyConsistent)
        wake.signal()
        stopped.wait()
        thread.withLock { $0 = (false, nil) }
    }
}
