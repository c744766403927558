import Foundation
import QLPRouting

/// Judges one target's condition from everything known about it: each probe
/// and live request as it ends, and, when asked, its breaker and its latency
/// SLO. A value on a clock passed in (monotonic seconds for how long, wall
/// time for what an operator reads), so tests step time by hand.
///
/// It does not repeat the breaker's rule; it reads the breaker's state. Its
/// own rules are about what the breaker cannot see: probes alone (at one
/// every 30 s they can never fill a breaker's 10 s window), staying down
/// while a dead target's breaker cycles open / half-open, and coming back
/// only after it has answered for a while.
public struct TargetConditionTracker: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Probes failing this many times in a row make a target down (fewer: degraded).
        public var downAfterProbeFailures: Int
        /// A down target is ok again after this many answers in a row...
        public var recoveryAnswers: Int
        /// ...spanning at least this many seconds, with no failure among them.
        public var recoverySeconds: Double
        /// Failed attempts are counted over this many seconds...
        public var errorWindowSeconds: Double
        /// ...and this share of them (0...1) or more makes a target degraded.
        public var degradedFailureShare: Double
        /// The p95 compared with the SLO is over the answers of this many seconds...
        public var latencyWindowSeconds: Double
        /// ...when there are at least this many.
        public var latencyMinimumSamples: Int
        /// A slow target is ok again when its p95 falls below this multiple of its SLO.
        public var slowClearFactor: Double
        /// With no probe nor request for this long, nothing is known (unknown).
        public var freshSeconds: Double

        public init(
            downAfterProbeFailures: Int = 2, recoveryAnswers: Int = 2, recoverySeconds: Double = 10,
            errorWindowSeconds: Double = 60, degradedFailureShare: Double = 0.05,
            latencyWindowSeconds: Double = 120, latencyMinimumSamples: Int = 3, slowClearFactor: Double = 0.9,
            freshSeconds: Double = 300
        ) {
            self.downAfterProbeFailures = max(downAfterProbeFailures, 1)
            self.recoveryAnswers = max(recoveryAnswers, 1)
            self.recoverySeconds = max(recoverySeconds, 0)
            self.errorWindowSeconds = errorWindowSeconds
            self.degradedFailureShare = degradedFailureShare
            self.latencyWindowSeconds = latencyWindowSeconds
            self.latencyMinimumSamples = max(latencyMinimumSamples, 1)
            self.slowClearFactor = slowClearFactor
            self.freshSeconds = freshSeconds
        }

        /// With probes every `probeInterval`: nothing is known after three
        /// missed rounds (five minutes at least), and the p95 window holds a
        /// few probes (two minutes at least).
        public init(probeInterval: Duration) {
            let interval = probeInterval.seconds
            self.init(latencyWindowSeconds: max(120, 4 * interval), freshSeconds: max(300, 3 * interval))
        }
    }

    private struct Timed<Value: Sendable>: Sendable {
        var at: Double
        var value: Value
    }

    public let settings: Settings
    private var probeFailures = 0
    private var lastFailure: TargetCondition.Failure?
    private var answers = 0
    private var answeringSince: Double?
    private var lastEvidence: (at: Double, wall: Date)?
    private var latencies = RecentSamples<Timed<Double>>(capacity: 256)
    private var attempts = RecentSamples<Timed<Bool>>(capacity: 256)
    /// Latched verdicts: down until recovered, slow until well under the SLO.
    private var down = false
    private var slow = false
    private var current: TargetCondition?

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    // MARK: evidence

    /// A probe or a request the target answered (a client error counts: the
    /// target answered); `milliseconds` is what its SLO is measured on (time
    /// to first token for streams and chat probes, the whole answer otherwise).
    public mutating func answered(milliseconds: Double?, byProbe: Bool, now: Double, wall: Date) {
        if byProbe { probeFailures = 0 }
        if answers == 0 { answeringSince = now }
        answers += 1
        if let milliseconds, milliseconds.isFinite, milliseconds >= 0 {
            latencies.append(Timed(at: now, value: milliseconds))
        }
        attempts.append(Timed(at: now, value: true))
        lastEvidence = (now, wall)
    }

    /// A probe or a request the target failed (no connection, timeout, 5xx, 429), and why.
    public mutating func failed(_ reason: String, byProbe: Bool, now: Double, wall: Date) {
        if byProbe { probeFailures += 1 }
        answers = 0
        answeringSince = nil
        lastFailure = TargetCondition.Failure(reason: reason, at: wall, byProbe: byProbe)
        attempts.append(Timed(at: now, value: false))
        lastEvidence = (now, wall)
    }

    // MARK: verdict

    /// The condition now, given the breaker's state and the target's SLO in
    /// milliseconds (nil: none set). Keeps its latched verdicts for the next call.
    public mutating func assess(
        breaker: CircuitBreaker.State, latencySLOMilliseconds: Double?, now: Double,
        wall: Date
    ) -> TargetCondition {
        let (state, reason) = verdict(breaker: breaker, slo: latencySLOMilliseconds, now: now)
        let since = current.flatMap { $0.state == state ? $0.since : nil } ?? wall
        let condition = TargetCondition(state: state, reason: reason, since: since)
        current = condition
        return condition
    }

    private mutating func verdict(
        breaker: CircuitBreaker.State, slo: Double?,
        now: Double
    ) -> (TargetCondition.State, TargetCondition.Reason) {
        if breaker == .open {
            down = true
            return (.down, .breakerOpen(lastFailure: lastFailure))
        }
        if probeFailures >= settings.downAfterProbeFailures, let lastFailure {
            down = true
            return (.down, .failing(lastFailure, consecutiveProbes: probeFailures))
        }
        if down {
            let sustained =
                answers >= settings.recoveryAnswers
                && answeringSince.map { now - $0 >= settings.recoverySeconds } == true
            guard sustained else {
                if answers > 0 { return (.down, .recovering(lastFailure: lastFailure, successes: answers)) }
                // A half-open breaker with no answer yet says nothing new: the reason it went down stands.
                if let current, current.state == .down, !current.reason.isRecovery { return (.down, current.reason) }
                return (.down, lastFailure.map { .failed($0) } ?? .noEvidence)
            }
            down = false
            // The failures that made it down belong to that episode, not to the target it is now.
            attempts = RecentSamples(capacity: attempts.capacity)
        }
        guard let last = lastEvidence else { return (.unknown, .noEvidence) }
        if now - last.at > settings.freshSeconds {
            slow = false
            return (.unknown, .stale(lastEvidence: last.wall))
        }
        if probeFailures > 0, let lastFailure {
            return (.degraded, .failing(lastFailure, consecutiveProbes: probeFailures))
        }
        let recent = attempts.all.filter { now - $0.at <= settings.errorWindowSeconds }
        let failures = recent.filter { !$0.value }.count
        if failures > 0, Double(failures) >= settings.degradedFailureShare * Double(recent.count) {
            return (
                .degraded,
                .errors(
                    failures: failures, attempts: recent.count, windowSeconds: Int(settings.errorWindowSeconds),
                    last: lastFailure)
            )
        }
        let window = latencies.all.filter { now - $0.at <= settings.latencyWindowSeconds }.map(\.value)
        let p95 = window.count >= settings.latencyMinimumSamples ? Self.p95(window) : nil
        if let slo, slo > 0, let p95 {
            slow = p95 > slo || (slow && p95 > settings.slowClearFactor * slo)
            if slow { return (.slow, .latency(p95Milliseconds: p95, sloMilliseconds: slo, samples: window.count)) }
        } else {
            slow = false
        }
        return (.ok, .answering(p95Milliseconds: p95, sloMilliseconds: slo.flatMap { $0 > 0 ? $0 : nil }))
    }

    /// Nearest rank, as the board's percentiles.
    static func p95(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let index = Int((0.95 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(index, 0), sorted.count - 1)]
    }
}
