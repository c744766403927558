/// Deterministic pseudo-randomness keyed by (seed, stream, day), so a day's
/// cost is the same whichever query window asks for it and on whichever run.
struct SeededNoise: Sendable {
    let seed: UInt64

    /// SplitMix64's finaliser: a good 64-bit mix of the inputs.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func raw(stream: Int, day: Int, salt: UInt64 = 0) -> UInt64 {
        Self.mix(seed ^ Self.mix(UInt64(bitPattern: Int64(stream)) &* 0x1000_0001 ^ Self.mix(UInt64(bitPattern: Int64(day)) ^ salt)))
    }

    /// A value in [-1, 1] in millionths, as an integer to keep costs exact.
    func signedMillionths(stream: Int, day: Int, salt: UInt64 = 0) -> Int {
        Int(raw(stream: stream, day: day, salt: salt) % 2_000_001) - 1_000_000
    }

    /// True with probability `perMillion` / 1,000,000.
    func chance(_ perMillion: Int, stream: Int, day: Int, salt: UInt64) -> Bool {
        Int(raw(stream: stream, day: day, salt: salt) % 1_000_000) < perMillion
    }
}
