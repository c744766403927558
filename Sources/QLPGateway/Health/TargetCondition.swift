import Foundation
import QLPRouting

/// What a target is doing, judged from all the evidence (probes, live
/// traffic, its latency against its SLO, its breaker), with the reason an
/// operator can act on. Made by `TargetConditionTracker`.
public struct TargetCondition: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Equatable, Codable, CaseIterable {
        /// Answering, within its SLO where it has one.
        case ok
        /// Answering, but its recent p95 is over its latency SLO.
        case slow
        /// Answering, but some requests or a probe failed.
        case degraded
        /// Not answering: probes failed in a row or its breaker is open; it
        /// stays down until it has answered for a while again.
        case down
        /// Nothing measured it lately (no probe, no request).
        case unknown
    }

    /// One failed probe or request, as an operator should read it.
    public struct Failure: Sendable, Equatable, Codable {
        /// "connection refused", "HTTP 503", "timed out".
        public var reason: String
        public var at: Date
        public var byProbe: Bool

        public init(reason: String, at: Date, byProbe: Bool) {
            self.reason = reason
            self.at = at
            self.byProbe = byProbe
        }
    }

    public enum Reason: Sendable, Equatable, Codable {
        /// No probe or request has reached it yet.
        case noEvidence
        /// The last probe or request was this long ago.
        case stale(lastEvidence: Date)
        /// Probes failed this many times in a row (fewer than make it down: degraded).
        case failing(Failure, consecutiveProbes: Int)
        /// Its breaker is open (traffic failed, or the upstream asked for a pause).
        case breakerOpen(lastFailure: Failure?)
        /// Down, and answering again, but not yet for long enough to be trusted.
        case recovering(lastFailure: Failure?, successes: Int)
        /// Down, and its last attempt failed too.
        case failed(Failure)
        /// Failed attempts (requests and probes) among the recent ones.
        case errors(failures: Int, attempts: Int, windowSeconds: Int, last: Failure?)
        /// Its recent p95 against its SLO.
        case latency(p95Milliseconds: Double, sloMilliseconds: Double, samples: Int)
        /// Answering; the p95 when known.
        case answering(p95Milliseconds: Double?, sloMilliseconds: Double?)

        var isRecovery: Bool {
            if case .recovering = self { return true }
            return false
        }
    }

    public var state: State
    public var reason: Reason
    /// When the target entered this state.
    public var since: Date

    public init(state: State, reason: Reason, since: Date) {
        self.state = state
        self.reason = reason
        self.since = since
    }

    /// The reason in words; `time` writes an instant ("03:12:04 UTC"), or
    /// nil to leave times out (an alert carries its own time).
    public func explanation(time: ((Date) -> String)?) -> String {
        func at(_ failure: Failure) -> String {
            failure.reason + (time.map { " at " + $0(failure.at) } ?? "")
        }
        switch reason {
        case .noEvidence:
            return "not probed nor requested yet"
        case .stale(let last):
            return "nothing measured it " + (time.map { "since " + $0(last) } ?? "lately")
        case .failing(let failure, let count):
            let run = count == 1 ? "probe failed" : "\(count) probes failed in a row"
            return "\(at(failure)) (\(run))"
        case .breakerOpen(let failure):
            return "circuit breaker open" + (failure.map { " after \(at($0))" } ?? "")
        case .failed(let failure):
            return "last attempt failed: \(at(failure))"
        case .recovering(let failure, let successes):
            let answered = successes == 1 ? "1 answer" : "\(successes) answers"
            return "answering again (\(answered) so far)" + (failure.map { "; last failure \(at($0))" } ?? "")
        case .errors(let failures, let attempts, let window, let last):
            let percent = Int((Double(failures) * 100 / Double(max(attempts, 1))).rounded())
            return "\(percent)% of \(attempts) attempts failed in the last \(window) s" + (last.map { "; last \(at($0))" } ?? "")
        case .latency(let p95, let slo, _):
            let relation = p95 > slo ? "over" : "back near"
            return "p95 \(Self.duration(p95)) \(relation) the \(Self.duration(slo)) SLO"
        case .answering(let p95, let slo):
            guard let p95 else { return "answering" }
            return "p95 \(Self.duration(p95))" + (slo.map { " within the \(Self.duration($0)) SLO" } ?? ", no SLO set")
        }
    }

    /// 640 -> "640 ms", 7805 -> "7.8 s", 2000 -> "2 s".
    public static func duration(_ milliseconds: Double) -> String {
        if milliseconds < 1000 { return "\(Int(milliseconds.rounded())) ms" }
        let seconds = (milliseconds / 100).rounded() / 10
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }
}

extension TargetCondition.Failure {
    /// A live request's failure as the retry policy classified it.
    public static func reason(for failure: UpstreamFailure) -> String {
        switch failure {
        case .connect: "requests cannot connect"
        case .timeout: "requests time out"
        case .status(let code): "requests answered HTTP \(code)"
        case .throttled(let seconds): "throttled (HTTP 429" + (seconds.map { ", retry after \(Int($0.rounded(.up))) s" } ?? "") + ")"
        }
    }
}
