/// A per-target circuit breaker. Closed, it counts outcomes over a sliding
/// window; enough failures open it; after `openFor` seconds it lets one trial
/// request through (half-open) and the trial's outcome closes or re-opens it.
///
/// Time is monotonic seconds passed in by the caller, so the breaker is a pure
/// value: tests step time by hand, the gateway keeps one per target behind a
/// tiny lock.
public struct CircuitBreaker: Sendable, Equatable {
    public struct Settings: Sendable, Equatable {
        /// Seconds of history the failure ratio is measured over.
        public var window: Double
        /// Requests the window must hold before the ratio counts; also the run
        /// of consecutive failures that opens the breaker on its own.
        public var minimumRequests: Int
        /// Failures / requests (0...1) at which the breaker opens.
        public var failureRatio: Double
        /// Seconds the breaker stays open before a trial.
        public var openFor: Double

        public init(window: Double, minimumRequests: Int, failureRatio: Double, openFor: Double) {
            self.window = window
            self.minimumRequests = minimumRequests
            self.failureRatio = failureRatio
            self.openFor = openFor
        }
    }

    public enum State: Int, Sendable, Codable {
        case closed = 0
        case halfOpen = 1
        case open = 2
    }

    /// The window is cut into this many buckets, so memory is fixed and old
    /// outcomes leave a bucket at a time (the window slides in tenths).
    static let bucketCount = 10

    public let settings: Settings
    private var phase: Phase = .closed
    private var window: BucketWindow
    private var consecutiveFailures = 0

    private enum Phase: Sendable, Equatable {
        case closed
        /// Refuses requests until the time given; after it, half-open.
        case open(until: Double)
        /// A trial is out since the time given, or none (nil) is.
        case halfOpen(trialSince: Double?)
    }

    public init(settings: Settings) {
        self.settings = settings
        window = BucketWindow(width: max(settings.window, 0.001) / Double(Self.bucketCount), count: Self.bucketCount)
    }

    public func state(now: Double) -> State {
        switch phase {
        case .closed: .closed
        case .open(let until): now < until ? .open : .halfOpen
        case .halfOpen: .halfOpen
        }
    }

    /// Whether a request may go to the target now. Half-open admits one trial
    /// at a time; a trial that never reports back (its request was cancelled)
    /// is given up on after `openFor`, so the breaker cannot stay stuck.
    public mutating func admit(now: Double) -> Bool {
        switch phase {
        case .closed:
            return true
        case .open(let until):
            guard now >= until else { return false }
            phase = .halfOpen(trialSince: now)
            return true
        case .halfOpen(let since):
            if let since, now - since < settings.openFor { return false }
            phase = .halfOpen(trialSince: now)
            return true
        }
    }

    public mutating func record(success: Bool, now: Double) {
        switch phase {
        case .closed:
            window.add(success: success, now: now)
            consecutiveFailures = success ? 0 : consecutiveFailures + 1
            guard !success else { return }
            let (requests, failures) = window.totals(now: now)
            let ratioTripped =
                requests >= settings.minimumRequests
                && Double(failures) >= settings.failureRatio * Double(requests)
            if ratioTripped || consecutiveFailures >= max(settings.minimumRequests, 1) {
                open(now: now)
            }
        case .open(let until):
            if now >= until {
                // The cool-down is over: this outcome is the trial's.
                finishTrial(success: success, now: now)
            }
        // Before that, an outcome is from a request admitted before the
        // breaker opened. A failure must not extend the open time: slow
        // requests failing one after another would otherwise keep pushing
        // the trial away, and they say nothing the opening did not already.
        // A success does not close it either: the trial decides.
        case .halfOpen:
            finishTrial(success: success, now: now)
        }
    }

    /// The longest an upstream's Retry-After holds the breaker open: open_for's
    /// maximum (the config refuses a longer open_for). A number from outside
    /// must not park a target for ever.
    public static let longestHold = 3600.0

    /// Keeps the breaker open for an upstream's Retry-After from `now`, at most
    /// `longestHold`; never shortens an open period. A wait that is not a
    /// positive number (NaN, negative, zero) is ignored.
    public mutating func holdOpen(forSeconds seconds: Double, now: Double) {
        guard seconds > 0 else { return }
        let until = now + min(seconds, Self.longestHold)
        switch phase {
        case .open(let current) where current >= until:
            return
        default:
            phase = .open(until: until)
            consecutiveFailures = 0
        }
    }

    private mutating func finishTrial(success: Bool, now: Double) {
        if success {
            phase = .closed
            window.reset()
            consecutiveFailures = 0
        } else {
            open(now: now)
        }
    }

    private mutating func open(now: Double) {
        phase = .open(until: now + settings.openFor)
        consecutiveFailures = 0
    }
}

/// Request and failure counts in fixed time buckets; a bucket is reused once
/// its time has left the window.
private struct BucketWindow: Sendable, Equatable {
    let width: Double
    /// Which bucket number (time / width) each slot holds now.
    var epochs: [Int]
    var requests: [Int]
    var failures: [Int]

    init(width: Double, count: Int) {
        self.width = width
        epochs = [Int](repeating: Int.min, count: count)
        requests = [Int](repeating: 0, count: count)
        failures = [Int](repeating: 0, count: count)
    }

    private func epoch(_ now: Double) -> Int {
        let value = (now / width).rounded(.down)
        // A time beyond Int's range is clamped, not a crash.
        return value >= Double(Int.max) ? Int.max : (value <= Double(Int.min + 1) ? Int.min + 1 : Int(value))
    }

    mutating func add(success: Bool, now: Double) {
        let current = epoch(now)
        let slot = Int(current.magnitude % UInt(epochs.count))
        if epochs[slot] != current {
            epochs[slot] = current
            requests[slot] = 0
            failures[slot] = 0
        }
        requests[slot] += 1
        if !success { failures[slot] += 1 }
    }

    func totals(now: Double) -> (requests: Int, failures: Int) {
        let current = epoch(now)
        var total = (requests: 0, failures: 0)
        for slot in epochs.indices
        where epochs[slot] != Int.min
            && epochs[slot] <= current && current - epochs[slot] < epochs.count
        {
            total.requests += requests[slot]
            total.failures += failures[slot]
        }
        return total
    }

    mutating func reset() {
        for slot in epochs.indices {
            epochs[slot] = Int.min
            requests[slot] = 0
            failures[slot] = 0
        }
    }
}
