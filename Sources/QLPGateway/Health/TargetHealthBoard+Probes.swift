import QLPRouting

extension TargetHealthBoard {
    /// A probe's result, as the breaker and the latency estimate should see
    /// it: the latency the policy uses on success (time to first token for
    /// chat), a failure for what would fail traffic too (no answer, 5xx, 429,
    /// 408). A probe the upstream refused as a bad request says nothing about
    /// the target's health, so it is left out.
    public func record(_ result: ProbeResult) {
        guard let failure = result.failure else {
            // A chat probe streams: its first token and its rate count like a streamed answer's.
            let timing = result.timeToFirstTokenMilliseconds.map {
                AnswerTiming(totalMilliseconds: result.totalMilliseconds, firstTokenMilliseconds: $0)
            }
            recordProbe(
                result.target, success: true, milliseconds: result.latencyMilliseconds, timing: timing,
                outputTokens: result.usageEstimated ? 0 : result.completionTokens)
            return
        }
        switch failure.upstreamFailure {
        case .status(let code) where code < 500 && code != 429 && code != 408:
            return
        default:
            recordProbe(result.target, success: false, milliseconds: nil, failure: failure.reason)
        }
    }
}
