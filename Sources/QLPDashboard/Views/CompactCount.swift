/// Counts in a narrow column: "950", "1.2k", "40k", "123k", "1.2M". Cut
/// down, never rounded up, so that a count below its limit never reads as
/// the limit ("29k/30k" for 29,990, not "30k/30k").
enum CompactCount {
    static func string(_ n: Int) -> String {
        guard n >= 0 else { return "\(n)" }
        if n < 1000 { return "\(n)" }
        for (unit, scale) in [("k", 1000), ("M", 1_000_000), ("G", 1_000_000_000)] {
            let whole = n / scale
            guard whole < 1000 || unit == "G" else { continue }
            // One decimal while the number is short (1.2k), none from 10 up (12k).
            let tenth = (n % scale) / (scale / 10)
            return whole < 10 && tenth > 0 ? "\(whole).\(tenth)\(unit)" : "\(whole)\(unit)"
        }
        return "\(n)"
    }
}
