import Foundation
import QLPCore

/// ISO 8601 instants, durations and Azure "timespan" values as the Monitor,
/// Application Insights and Log Analytics APIs take them. Whole seconds in
/// UTC throughout; no Foundation formatters (they are not Sendable everywhere).
enum EmulatedTime {
    static let utc = TimeZone(identifier: "UTC")!

    /// "2026-11-26T17:42:00Z" (or with ".000" milliseconds).
    static func format(_ date: Date, milliseconds: Bool = false) -> String {
        let total = date.timeIntervalSince1970
        let seconds = Int(total.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let day = CivilDate(dayNumber: days)
        var text = "\(day.iso8601)T\(pad(rest / 3600)):\(pad(rest / 60 % 60)):\(pad(rest % 60))"
        if milliseconds {
            let ms = min(999, Int(((total - Double(seconds)) * 1000).rounded(.down)))
            text += "." + String(repeating: "0", count: ms < 10 ? 2 : ms < 100 ? 1 : 0) + String(ms)
        }
        return text + "Z"
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Parses "2026-11-26T17:42:00Z", "...:00.123Z", "...+00:00" or a bare "2026-11-26".
    static func parseInstant(_ raw: some StringProtocol) -> Date? {
        let text = String(raw).trimmingCharacters(in: .whitespaces)
        guard let day = CivilDate(iso8601: text.prefix(10)) else { return nil }
        var seconds = Double(day.dayNumber) * 86_400
        var rest = Substring(text.dropFirst(10))
        guard !rest.isEmpty else { return Date(timeIntervalSince1970: seconds) }
        guard rest.first == "T" || rest.first == "t" || rest.first == " " else { return nil }
        rest = rest.dropFirst()
        let clock = rest.prefix { $0.isNumber || $0 == ":" || $0 == "." }
        rest = rest.dropFirst(clock.count)
        let parts = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.count <= 3, let h = Int(parts[0]), let m = Int(parts[1]), h < 24, m < 60 else { return nil }
        let s = parts.count == 3 ? Double(parts[2]) : 0
        guard let s, s < 61 else { return nil }
        seconds += Double(h * 3600 + m * 60) + s
        switch rest.first {
        case nil, "Z", "z":
            return Date(timeIntervalSince1970: seconds)
        case "+", "-":
            let sign: Double = rest.first == "+" ? -1 : 1
            let offset = rest.dropFirst().split(separator: ":")
            guard offset.count >= 1, let oh = Int(offset[0].prefix(2)) else { return nil }
            let om = offset.count > 1 ? Int(offset[1]) ?? 0 : Int(offset[0].dropFirst(2)) ?? 0
            return Date(timeIntervalSince1970: seconds + sign * Double(oh * 3600 + om * 60))
        default:
            return nil
        }
    }

    /// Seconds in an ISO 8601 duration: "PT1M", "PT12H", "P1D", "P2D", "P1DT6H", "P1W", "PT30S".
    static func parseDuration(_ raw: some StringProtocol) -> Int? {
        let text = raw.uppercased()
        guard text.hasPrefix("P"), text.count > 1 else { return nil }
        var total = 0
        var number = ""
        var inTime = false
        var sawUnit = false
        for c in text.dropFirst() {
            if c.isNumber {
                number.append(c)
                continue
            }
            if c == "T" {
                guard number.isEmpty, !inTime else { return nil }
                inTime = true
                continue
            }
            guard let n = Int(number) else { return nil }
            number = ""
            sawUnit = true
            switch (c, inTime) {
            case ("W", false): total += n * 7 * 86_400
            case ("D", false): total += n * 86_400
            case ("H", true): total += n * 3600
            case ("M", true): total += n * 60
            case ("S", true): total += n
            default: return nil
            }
        }
        return number.isEmpty && sawUnit && total > 0 ? total : nil
    }

    /// The ISO 8601 form Azure writes: "PT1M", "PT4H", "P1D", "P2DT12H".
    static func formatDuration(_ seconds: Int) -> String {
        guard seconds > 0 else { return "PT0S" }
        let days = seconds / 86_400
        let h = seconds / 3600 % 24
        let m = seconds / 60 % 60
        let s = seconds % 60
        var text = "P"
        if days > 0 { text += "\(days)D" }
        if h > 0 || m > 0 || s > 0 {
            text += "T"
            if h > 0 { text += "\(h)H" }
            if m > 0 { text += "\(m)M" }
            if s > 0 { text += "\(s)S" }
        }
        return text
    }

    /// An Azure timespan: "start/end", "start/duration", "duration/end" or a
    /// bare duration ending now.
    static func parseTimespan(_ text: String, now: Date) -> (start: Date, end: Date)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let d = parseDuration(parts[0]) else { return nil }
            return (now.addingTimeInterval(-Double(d)), now)
        case 2:
            if let start = parseInstant(parts[0]) {
                if let end = parseInstant(parts[1]) { return start < end ? (start, end) : nil }
                if let d = parseDuration(parts[1]) { return (start, start.addingTimeInterval(Double(d))) }
                return nil
            }
            if let d = parseDuration(parts[0]), let end = parseInstant(parts[1]) { return (end.addingTimeInterval(-Double(d)), end) }
            return nil
        default:
            return nil
        }
    }

    /// `date` rounded down to a multiple of `seconds` since the epoch (UTC-aligned grains).
    static func floor(_ date: Date, to seconds: Int) -> Date {
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        let aligned = t >= 0 ? t / seconds * seconds : (t - seconds + 1) / seconds * seconds
        return Date(timeIntervalSince1970: Double(aligned))
    }
}
