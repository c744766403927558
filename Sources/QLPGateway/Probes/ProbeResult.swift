import Foundation
import QLPCore
import QLPRouting

/// One probe's measurement of one target, for the health board (breakers,
/// latency estimates) and the dashboard.
public struct ProbeResult: Sendable, Equatable {
    /// Why a probe failed, in words an operator can act on; never carries a key.
    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        /// The HTTP status, when the upstream answered.
        public var status: Int?
        /// What went wrong: "HTTP 429", "connection refused", "stream ended without [DONE]".
        public var reason: String
        /// The start of the upstream's body (at most 200 characters), for the dashboard.
        public var bodyExcerpt: String
        /// The same failure as the retry policy and the breakers classify it.
        public var upstreamFailure: UpstreamFailure

        public var description: String { bodyExcerpt.isEmpty ? reason : "\(reason): \(bodyExcerpt)" }
    }

    /// The target's name.
    public var target: String
    public var kind: ProbeTarget.Kind
    /// When the probe started.
    public var at: Date
    /// Until the TCP connection was up; zero on a reused connection.
    public var connectMilliseconds: Double
    /// Until the first streamed chunk arrived (chat only). The upstreams send
    /// their response headers with the first chunk, so this is libcurl's
    /// time to first byte.
    public var timeToFirstTokenMilliseconds: Double?
    public var totalMilliseconds: Double
    /// nil when the probe succeeded.
    public var failure: Failure?
    /// The probe's own token use: as the upstream reported it, or estimated when it did not say.
    public var promptTokens: Int
    public var completionTokens: Int
    /// True when the upstream sent no usage and the counts are estimates.
    public var usageEstimated: Bool
    /// What the probe itself cost at the target's prices (GBP).
    public var cost: Decimal
    /// For an Ollama target: whether its model was loaded, only pulled, or
    /// missing just before the probe (a cold model explains a slow first token).
    public var ollamaModel: OllamaModelStatus.State?

    public var ok: Bool { failure == nil }

    /// The figure the latency-aware policy uses: time to first token for chat, total otherwise.
    public var latencyMilliseconds: Double { timeToFirstTokenMilliseconds ?? totalMilliseconds }
}

/// What all probes so far have used and cost, for "probes cost £x today".
public struct ProbeTotals: Sendable, Equatable {
    public var probes = 0
    public var failures = 0
    /// Targets left alone because real traffic measured them.
    public var skipped = 0
    public var promptTokens = 0
    public var completionTokens = 0
    public var cost: Decimal = 0

    public init() {}

    mutating func add(_ result: ProbeResult) {
        probes += 1
        if !result.ok { failures += 1 }
        promptTokens = promptTokens.adding(saturating: result.promptTokens)
        completionTokens = completionTokens.adding(saturating: result.completionTokens)
        cost += result.cost
    }
}
