import Foundation
import QLPAzure

/// A metric value as the Monitor view prints it: the number, and its unit
/// in a column of its own so that every row says what it counts ("1,667"
/// "/5min", "27.6" "%", "488" "mc", "16" "count").
public struct MetricValueText: Sendable, Equatable {
    public var number: String
    public var unit: String

    public init(number: String, unit: String) {
        self.number = number
        self.unit = unit
    }

    public init(_ value: Double, _ measure: MetricMeasure) {
        let n = MetricUnitFormat.number
        let per = measure.isPerInterval ? "/" + Self.interval(measure.interval) : ""
        switch measure.unit {
        case .percent: self.init(number: n(value, 1), unit: "%")
        case .milliSeconds: self.init(number: n(value, value < 10 ? 1 : 0), unit: "ms" + per)
        case .seconds: self.init(number: n(value, value < 10 ? 2 : 0), unit: "s" + per)
        case .count: self.init(number: n(value, value.rounded() == value || abs(value) >= 100 ? 0 : 1), unit: per.isEmpty ? "count" : per)
        case .countPerSecond: self.init(number: n(value, value < 10 ? 1 : 0), unit: "/s")
        case .bytes: self.init(scaled: value, units: ["B", "kB", "MB", "GB", "TB"], suffix: per)
        case .bytesPerSecond: self.init(scaled: value, units: ["B", "kB", "MB", "GB", "TB"], suffix: "/s")
        case .bits: self.init(scaled: value, units: ["bit", "kbit", "Mbit", "Gbit", "Tbit"], suffix: per)
        case .bitsPerSecond: self.init(scaled: value, units: ["bit", "kbit", "Mbit", "Gbit", "Tbit"], suffix: "/s")
        case .byteSeconds: self.init(scaled: value, units: ["B", "kB", "MB", "GB", "TB"], suffix: "·s" + per)
        case .cores: self.init(number: n(value, value < 10 ? 2 : 0), unit: "cores")
        case .milliCores: self.init(number: n(value, 0), unit: "mc")
        // Nanocores read best as millicores: 488,000,000 nc is 488 mc.
        case .nanoCores: self.init(number: n(value / 1_000_000, value < 10_000_000 ? 1 : 0), unit: "mc")
        case .other(let name):
            self.init(
                number: n(value, value.rounded() == value || abs(value) >= 100 ? 0 : 1),
                unit: name.isEmpty || name.lowercased() == "unspecified" ? "(none)" : name.lowercased() + per)
        }
    }

    private init(scaled value: Double, units: [String], suffix: String) {
        var v = value
        var i = 0
        while abs(v) >= 1000, i < units.count - 1 {
            v /= 1000
            i += 1
        }
        self.init(number: MetricUnitFormat.number(v, decimals: i == 0 || v >= 100 ? 0 : 1), unit: units[i] + suffix)
    }

    /// "5min", "15min", "1h": the interval a per-interval value covers.
    public static func interval(_ seconds: TimeInterval) -> String {
        let minutes = Int((seconds / 60).rounded())
        if minutes >= 60, minutes % 60 == 0 { return "\(minutes / 60)h" }
        return "\(minutes)min"
    }
}
