import Foundation
import QLPCore

/// Instants and timespans as Azure Monitor, Application Insights and Log
/// Analytics take them (UTC, ISO 8601). Written by hand: Foundation's
/// formatters are not Sendable on every platform.
public enum AzureTimespan {
    /// "2026-11-26T00:00:00Z/2026-11-26T12:00:00Z" (the metrics API's `timespan`).
    public static func between(_ start: Date, _ end: Date) -> String {
        "\(instant(start))/\(instant(end))"
    }

    /// "2026-11-26T17:42:00Z", or "2026-11-26T17:42:00.000Z" with milliseconds
    /// (the metrics batch API's `starttime`/`endtime` form).
    public static func instant(_ date: Date, milliseconds: Bool = false) -> String {
        let total = date.timeIntervalSince1970
        let seconds = Int(total.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        func pad(_ n: Int, _ width: Int = 2) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var text = "\(CivilDate(dayNumber: days).iso8601)T\(pad(rest / 3600)):\(pad(rest / 60 % 60)):\(pad(rest % 60))"
        if milliseconds { text += "." + pad(min(999, Int(((total - Double(seconds)) * 1000).rounded(.down))), 3) }
        return text + "Z"
    }

    /// Parses "2021-04-20T09:00:00Z", "2018-02-04T10:01:35.086Z" or "...+00:00".
    public static func parse(_ raw: some StringProtocol) -> Date? {
        let text = String(raw)
        guard text.count >= 19, let day = CivilDate(iso8601: text.prefix(10)) else { return nil }
        let chars = Array(text)
        guard chars[10] == "T" || chars[10] == "t" || chars[10] == " ", chars[13] == ":", chars[16] == ":",
            let h = Int(String(chars[11...12])), let m = Int(String(chars[14...15])), let s = Int(String(chars[17...18])),
            h < 24, m < 60, s < 61
        else { return nil }
        var seconds = Double(day.dayNumber) * 86_400 + Double(h * 3600 + m * 60 + s)
        var i = 19
        if i < chars.count, chars[i] == "." {
            var digits = ""
            i += 1
            while i < chars.count, chars[i].isASCII, chars[i].isNumber {
                digits.append(chars[i])
                i += 1
            }
            guard !digits.isEmpty, let fraction = Double("0." + digits) else { return nil }
            seconds += fraction
        }
        guard i < chars.count else { return Date(timeIntervalSince1970: seconds) }  // no zone: UTC, as Azure means
        switch chars[i] {
        case "Z", "z":
            return i == chars.count - 1 ? Date(timeIntervalSince1970: seconds) : nil
        case "+", "-":
            let zone = String(chars[(i + 1)...]).replacingOccurrences(of: ":", with: "")
            guard zone.count == 4, let hh = Int(zone.prefix(2)), let mm = Int(zone.suffix(2)) else { return nil }
            let offset = Double(hh * 3600 + mm * 60)
            return Date(timeIntervalSince1970: chars[i] == "+" ? seconds - offset : seconds + offset)
        default:
            return nil
        }
    }
}
