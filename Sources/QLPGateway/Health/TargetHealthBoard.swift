import Atomics
import Foundation
import QLPCore
import QLPRouting
import Synchronization

/// Per target: its circuit breaker, its latency estimate and its counters,
/// fed by real traffic and by the probes, read by the planner on every
/// request. Each target's record sits under its own tiny lock held for a few
/// arithmetic operations; finding a target's record is one atomic load.
/// Records outlive route-table swaps, so a table change keeps what is known.
public final class TargetHealthBoard: Sendable {
    public let breakerSettings: CircuitBreaker.Settings
    public let conditionSettings: TargetConditionTracker.Settings
    private let clock: @Sendable () -> Double
    private let wallClock: @Sendable () -> Date
    private let registry = ManagedAtomic(Registry(cells: [:]))
    private let growing = Mutex(())

    /// `clock` gives monotonic seconds, `wallClock` the time an operator reads
    /// (when a failure happened); tests inject their own.
    public init(
        breaker: CircuitBreaker.Settings, condition: TargetConditionTracker.Settings = .init(),
        clock: @escaping @Sendable () -> Double = { MonotonicClock.now },
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        breakerSettings = breaker
        conditionSettings = condition
        self.clock = clock
        self.wallClock = wallClock
    }

    public convenience init(settings: GatewaySettings) {
        self.init(
            breaker: CircuitBreaker.Settings(
                window: settings.breakerWindow.seconds,
                minimumRequests: settings.breakerMinimumRequests,
                failureRatio: settings.breakerFailureRatio,
                openFor: settings.breakerOpenFor.seconds),
            condition: TargetConditionTracker.Settings(probeInterval: settings.probeInterval))
    }

    public var now: Double { clock() }

    /// First-token times and streamed rates older than this are not shown: a
    /// busy target is not probed, and its traffic may not stream, so the last
    /// measurement could be hours old (a cold model's first probe, say).
    public static let streamedFreshSeconds = 300.0

    /// What the planner needs: whether the breaker admits traffic, and the latency estimate.
    public func health(for target: String) -> TargetHealth {
        let now = clock()
        return cell(target).record.withLock { record in
            TargetHealth(available: record.breaker.state(now: now) != .open, latencyMilliseconds: record.latency.milliseconds)
        }
    }

    /// Asks the breaker to let one request through (a half-open breaker lets one trial at a time).
    public func admit(_ target: String) -> Bool {
        let now = clock()
        return cell(target).record.withLock { $0.breaker.admit(now: now) }
    }

    /// A client request the target answered with a 2xx, or with a client error
    /// (4xx other than 429), which says nothing against the target's health.
    /// `timing`, for a 2xx, feeds time to first token and tokens per second.
    public func recordAnswer(
        _ target: String, milliseconds: Double, usage: TokenCounts?, cost: Decimal,
        timing: AnswerTiming? = nil
    ) {
        let now = clock()
        let wall = wallClock()
        let rate = timing.flatMap { $0.outputTokensPerSecond(usage?.output ?? 0) }
        cell(target).record.withLock { record in
            record.breaker.record(success: true, now: now)
            record.condition.answered(milliseconds: milliseconds, byProbe: false, now: now, wall: wall)
            record.latency.record(milliseconds: milliseconds)
            record.latencies.append(milliseconds)
            record.outcomes.append(true)
            record.requests += 1
            record.lastServedAt = now
            if let usage {
                record.inputTokens = record.inputTokens.adding(saturating: usage.input)
                record.outputTokens = record.outputTokens.adding(saturating: usage.output)
                if cost != 0 { record.cost += cost }
            }
            record.recordTiming(timing, rate: rate, now: now)
        }
    }

    /// A client request the target failed (connect error, timeout, 5xx, 429),
    /// and how, when the caller knows. A Retry-After holds the breaker open that long.
    public func recordFailure(_ target: String, retryAfterSeconds: Double? = nil, failure: UpstreamFailure? = nil) {
        let now = clock()
        let wall = wallClock()
        cell(target).record.withLock { record in
            record.breaker.record(success: false, now: now)
            record.condition.failed(
                failure.map(TargetCondition.Failure.reason(for:)) ?? "request failed", byProbe: false,
                now: now, wall: wall)
            if let retryAfterSeconds { record.breaker.holdOpen(forSeconds: retryAfterSeconds, now: now) }
            record.outcomes.append(false)
            record.requests += 1
            record.errors += 1
        }
    }

    /// A probe's result: it moves the breaker and the latency estimate like
    /// traffic does, but is not counted as served traffic.
    /// `timing` and `outputTokens`, for a chat probe that succeeded, feed
    /// time to first token and tokens per second as a streamed answer does;
    /// `failure`, for one that failed, says why.
    public func recordProbe(
        _ target: String, success: Bool, milliseconds: Double?, timing: AnswerTiming? = nil,
        outputTokens: Int = 0, failure: String? = nil
    ) {
        let now = clock()
        let wall = wallClock()
        let rate = success ? timing.flatMap { $0.outputTokensPerSecond(outputTokens) } : nil
        cell(target).record.withLock { record in
            record.breaker.record(success: success, now: now)
            record.lastProbeAt = wall
            if success {
                record.condition.answered(milliseconds: milliseconds, byProbe: true, now: now, wall: wall)
            } else {
                record.condition.failed(failure ?? "probe failed", byProbe: true, now: now, wall: wall)
            }
            record.outcomes.append(success)
            if success, let milliseconds {
                record.latency.record(milliseconds: milliseconds)
                record.latencies.append(milliseconds)
            }
            if success { record.recordTiming(timing, rate: rate, now: now) }
        }
    }

    /// Whether real traffic reached the target within the last `seconds`
    /// (then the prober measures it from that traffic instead of probing).
    public func servedRecently(_ target: String, within seconds: Double) -> Bool {
        let now = clock()
        return cell(target).record.withLock { record in
            record.lastServedAt.map { now - $0 <= seconds } ?? false
        }
    }

    public func state(of target: String) -> TargetHealthState {
        let now = clock()
        let record = cell(target).record.withLock { $0 }
        let ranks = record.latencies.percentiles([50, 95, 99])
        let failures = record.outcomes.all.filter { !$0 }.count
        // Streamed rates measure generation alone; whole bodies only when no recent stream was seen.
        let streamedFresh = record.lastStreamedAt.map { now - $0 <= Self.streamedFreshSeconds } ?? false
        let rates = streamedFresh && record.streamedRates.count > 0 ? record.streamedRates : record.wholeRates
        return TargetHealthState(
            target: target, breaker: record.breaker.state(now: now),
            latencyMilliseconds: record.latency.milliseconds,
            p50Milliseconds: ranks[0], p95Milliseconds: ranks[1], p99Milliseconds: ranks[2],
            errorRate: record.outcomes.count == 0 ? 0 : Double(failures) / Double(record.outcomes.count),
            requests: record.requests, errors: record.errors, inputTokens: record.inputTokens,
            outputTokens: record.outputTokens, estimatedCost: record.cost, lastServedAt: record.lastServedAt,
            timeToFirstTokenMilliseconds: streamedFresh ? record.firstTokens.percentiles([50])[0] : nil,
            outputTokensPerSecond: rates.percentiles([50])[0], lastProbeAt: record.lastProbeAt)
    }

    /// The target's condition from all the evidence; `latencySLOMilliseconds`:
    /// its latency SLO, nil when it has none.
    public func condition(of target: String, latencySLOMilliseconds: Double?) -> TargetCondition {
        let now = clock()
        let wall = wallClock()
        return cell(target).record.withLock { record in
            record.condition.assess(
                breaker: record.breaker.state(now: now), latencySLOMilliseconds: latencySLOMilliseconds,
                now: now, wall: wall)
        }
    }

    /// Every target seen so far, by name.
    public func states() -> [TargetHealthState] {
        registry.load(ordering: .acquiring).cells.keys.sorted().map(state(of:))
    }

    // MARK: records

    private struct Record: Sendable {
        var breaker: CircuitBreaker
        var condition: TargetConditionTracker
        var latency = LatencyEstimate()
        var latencies = RecentSamples<Double>(capacity: 512)
        var outcomes = RecentSamples<Bool>(capacity: 512)
        var requests = 0
        var errors = 0
        var inputTokens = 0
        var outputTokens = 0
        var cost: Decimal = 0
        var lastServedAt: Double?
        var lastProbeAt: Date?
        /// Streamed answers' and chat probes' time to first token.
        var firstTokens = RecentSamples<Double>(capacity: 64)
        /// Output tokens per second after the first token, of streamed answers and chat probes...
        var streamedRates = RecentSamples<Double>(capacity: 64)
        /// ...and over the whole request, of answers that came in one body.
        var wholeRates = RecentSamples<Double>(capacity: 64)

        /// Monotonic seconds of the last streamed answer or chat probe measured.
        var lastStreamedAt: Double?

        mutating func recordTiming(_ timing: AnswerTiming?, rate: Double?, now: Double) {
            guard let timing else { return }
            if let firstToken = timing.firstTokenMilliseconds {
                firstTokens.append(firstToken)
                lastStreamedAt = now
                if let rate { streamedRates.append(rate) }
            } else if let rate {
                wholeRates.append(rate)
            }
        }
    }

    private final class Cell: Sendable {
        let record: Mutex<Record>
        init(_ record: Record) { self.record = Mutex(record) }
    }

    private final class Registry: AtomicReference, Sendable {
        let cells: [String: Cell]
        init(cells: [String: Cell]) { self.cells = cells }
    }

    private func cell(_ target: String) -> Cell {
        if let cell = registry.load(ordering: .acquiring).cells[target] { return cell }
        // A target not seen before: copy the registry with it added (rare; once per target).
        return growing.withLock { _ in
            let current = registry.load(ordering: .acquiring)
            if let cell = current.cells[target] { return cell }
            let cell = Cell(
                Record(
                    breaker: CircuitBreaker(settings: breakerSettings),
                    condition: TargetConditionTracker(settings: conditionSettings)))
            var cells = current.cells
            cells[target] = cell
            registry.store(Registry(cells: cells), ordering: .releasing)
            return cell
        }
    }
}

extension Duration {
    /// As Double seconds.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
