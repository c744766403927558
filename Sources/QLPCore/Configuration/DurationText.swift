import Foundation

/// Durations as people write them in config: "250ms", "30s", "5m", "1h30m", "30d".
public enum DurationText {
    public static func parse(_ text: String) -> Duration? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !s.isEmpty else { return nil }
        // Counted in whole milliseconds, with overflow checked: a huge number is
        // rejected, not a crash (and `format` can always multiply back).
        var totalMilliseconds = 0
        var digits = ""
        var index = s.startIndex
        var sawUnit = false
        while index < s.endIndex {
            let c = s[index]
            if c.isASCII, c.isNumber {
                digits.append(c)
                index = s.index(after: index)
                continue
            }
            guard let value = Int(digits) else { return nil }
            let rest = s[index...]
            let unit: Int
            if rest.hasPrefix("ms") {
                unit = 1
                index = s.index(index, offsetBy: 2)
            } else {
                switch c {
                case "s": unit = 1000
                case "m": unit = 60_000
                case "h": unit = 3_600_000
                case "d": unit = 86_400_000
                default: return nil
                }
                index = s.index(after: index)
            }
            let (part, overflow) = value.multipliedReportingOverflow(by: unit)
            let (sum, sumOverflow) = totalMilliseconds.addingReportingOverflow(part)
            guard !overflow, !sumOverflow else { return nil }
            totalMilliseconds = sum
            digits = ""
            sawUnit = true
        }
        guard digits.isEmpty, sawUnit else { return nil }
        return .milliseconds(totalMilliseconds)
    }

    /// "30s", "5m", "1h30m", "250ms".
    public static func format(_ duration: Duration) -> String {
        let ms = Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
        if ms % 1000 != 0 { return "\(ms)ms" }
        var seconds = ms / 1000
        var out = ""
        if seconds >= 3600 {
            out += "\(seconds / 3600)h"
            seconds %= 3600
        }
        if seconds >= 60 {
            out += "\(seconds / 60)m"
            seconds %= 60
        }
        if seconds > 0 || out.isEmpty { out += "\(seconds)s" }
        return out
    }
}
