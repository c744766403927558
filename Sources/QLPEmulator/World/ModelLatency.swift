import Foundation

/// How long one model takes: to its first token (or, for embeddings, to the
/// whole answer) and per token after that.
public struct ModelLatencyProfile: Sendable, Equatable {
    /// Time to first token, low and high end (milliseconds).
    public var firstTokenMilliseconds: ClosedRange<Double>
    /// Streaming speed once the first token is out; 0...0 for embeddings.
    public var tokensPerSecond: ClosedRange<Double>
    /// 1: values cluster in the middle of the range (hosted models, steady
    /// load). Larger: most requests near the low end and a few far out, the
    /// heavy tail of a local model sharing one GPU.
    public var tail: Double

    public init(firstTokenMilliseconds: ClosedRange<Double>, tokensPerSecond: ClosedRange<Double>, tail: Double = 1) {
        self.firstTokenMilliseconds = firstTokenMilliseconds
        self.tokensPerSecond = tokensPerSecond
        self.tail = max(1, tail)
    }
}

/// Whether the emulated models take their realistic time, a fraction of it
/// (tests that want latency but not the wait) or none (gateway tests and
/// benchmarks, where the emulator must not be the bottleneck).
public enum ModelLatency: Sendable, Equatable, CustomStringConvertible {
    case off
    case scaled(Double)

    public static let realistic = ModelLatency.scaled(1)

    var factor: Double {
        switch self {
        case .off: 0
        case .scaled(let f): max(0, f)
        }
    }

    /// "off", "realistic" or a factor such as "0.1".
    public init?(text: String) {
        switch text.lowercased() {
        case "off", "0": self = .off
        case "on", "realistic", "1": self = .realistic
        default:
            guard let f = Double(text), f.isFinite, f >= 0 else { return nil }
            self = f == 0 ? .off : .scaled(f)
        }
    }

    public var description: String {
        switch self {
        case .off: "off"
        case .scaled(let f): f == 1 ? "realistic" : "x\(f)"
        }
    }
}

/// The timing drawn for one request.
struct ModelTiming: Sendable, Equatable {
    /// Before the first token (streams) or the whole answer (embeddings).
    var firstToken: Duration
    /// Between tokens after the first.
    var perToken: Duration

    static let instant = ModelTiming(firstToken: .zero, perToken: .zero)

    /// Draws a request's timing from the model's profile. `serial` counts
    /// requests to the model, so a run is the same run after run (seeded).
    static func draw(
        _ profile: ModelLatencyProfile, latency: ModelLatency, noise: SeededNoise, model: String,
        serial: Int, extraMilliseconds: Double = 0
    ) -> ModelTiming {
        let factor = latency.factor
        guard factor > 0 else { return .instant }
        let key = Int(truncatingIfNeeded: TextHash.of(model))
        func uniform(_ salt: UInt64) -> Double { Double(noise.raw(stream: key, day: serial, salt: salt) % 1_000_000) / 1_000_000 }
        // Hosted: the mean of two draws (a triangle over the range). Local:
        // a power of one draw, so that the far end is rare but real.
        let shape = profile.tail > 1 ? pow(uniform(1), profile.tail) : (uniform(1) + uniform(2)) / 2
        let ttft =
            profile.firstTokenMilliseconds.lowerBound
            + (profile.firstTokenMilliseconds.upperBound - profile.firstTokenMilliseconds.lowerBound) * shape + extraMilliseconds
        let tps =
            profile.tokensPerSecond.lowerBound
            + (profile.tokensPerSecond.upperBound - profile.tokensPerSecond.lowerBound) * uniform(3)
        let perToken = tps > 0 ? 1000 / tps : 0
        return ModelTiming(
            firstToken: .microseconds(Int64(ttft * factor * 1000)),
            perToken: .microseconds(Int64(perToken * factor * 1000)))
    }
}

/// FNV-1a: a stable hash of text (Swift's Hasher is seeded per process).
enum TextHash {
    static func of(_ text: String) -> UInt64 { of(Array(text.utf8)) }

    static func of(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}
