/// Short human text for durations in error messages and log lines.
enum ElapsedTimeText {
    /// "2.0 s" from one second up, "250 ms" / "0.35 ms" below.
    static func of(_ duration: Duration) -> String {
        let milliseconds = self.milliseconds(duration)
        if milliseconds >= 1000 {
            return "\(fixed(milliseconds / 1000, decimals: 1)) s"
        }
        if milliseconds >= 10 {
            return "\(fixed(milliseconds, decimals: 0)) ms"
        }
        return "\(fixed(milliseconds, decimals: 2)) ms"
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// Fixed-point text without Foundation's locale-dependent formatting.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return "\(sign)\(whole)" }
        let digits = String(fraction)
        return "\(sign)\(whole)." + String(repeating: "0", count: decimals - digits.count) + digits
    }
}
