/// When a draining gateway may stop listening. Connections the kernel has
/// already accepted for it sit in the listener's accept queue, their requests
/// sent: closing the listener then resets every one of them (the client sees
/// "connection reset by peer" for a request it sent before the signal). So
/// the listener stays open until that queue has been empty for a moment,
/// or until the drain deadline.
///
/// A value: the gateway reads the queue's length and asks what to do next;
/// tests drive it with their own instants.
struct AcceptQueueDrain: Sendable, Equatable {
    enum Action: Sendable, Equatable {
        /// Look at the queue again after this long.
        case look(after: Duration)
        /// Stop listening.
        case stop(Reason)
    }

    enum Reason: Sendable, Equatable {
        /// The queue stayed empty for `quiet`.
        case empty
        /// The deadline came with connections still queued (new ones kept arriving).
        case deadline(queued: Int)
        /// The queue's length could not be read (not Linux, or the listener is gone).
        case unknown
    }

    let deadline: ContinuousClock.Instant
    /// How long the queue must stay empty: a connection accepted by the
    /// kernel just now may still be on its way to the gateway's event loop.
    let quiet: Duration
    let interval: Duration
    private var emptySince: ContinuousClock.Instant?

    init(now: ContinuousClock.Instant, deadline: Duration, quiet: Duration = .milliseconds(100), interval: Duration = .milliseconds(20)) {
        self.deadline = now + deadline
        self.quiet = quiet
        self.interval = interval
    }

    /// What to do, given how many connections wait in the accept queue at `now`.
    mutating func next(queued: Int, now: ContinuousClock.Instant) -> Action {
        if queued > 0 {
            emptySince = nil
            return now >= deadline ? .stop(.deadline(queued: queued)) : .look(after: interval)
        }
        let since = emptySince ?? now
        emptySince = since
        if now - since >= quiet { return .stop(.empty) }
        return now >= deadline ? .stop(.empty) : .look(after: interval)
    }
}
