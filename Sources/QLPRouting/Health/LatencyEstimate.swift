/// An exponentially weighted moving average of a target's latency in
/// milliseconds (time to first token for streams, total for the rest). Recent
/// samples count most, so a target that slows down is noticed within a few
/// requests, and one spike does not dominate.
public struct LatencyEstimate: Sendable, Equatable {
    /// The weight of a new sample, 0 < alpha <= 1.
    public let alpha: Double
    public private(set) var milliseconds: Double?
    public private(set) var samples: Int = 0

    public init(alpha: Double = 0.3) {
        self.alpha = alpha.isFinite ? min(max(alpha, 0.001), 1) : 0.3
    }

    public mutating func record(milliseconds sample: Double) {
        // A negative or non-finite figure is a clock or caller bug, not a latency.
        guard sample.isFinite, sample >= 0 else { return }
        samples += 1
        if let current = milliseconds {
            milliseconds = current + alpha * (sample - current)
        } else {
            milliseconds = sample
        }
    }
}
