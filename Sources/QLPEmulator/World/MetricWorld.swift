import Foundation
import QLPCore

extension CostWorld {
    /// Whether the cost world has an incident in `service` on `day`: the same
    /// draw `cost(serviceIndex:on:at:)` makes, so metrics and cost agree on
    /// which days went wrong.
    public func hasIncident(service name: String, on day: CivilDate) -> Bool {
        guard day >= firstDay, let index = services.firstIndex(where: { $0.name == name }) else { return false }
        // A service billing the model traffic has its incidents there: the surge days.
        if let traffic = traffic(of: index) { return traffic.isSurgeDay(day) }
        let service = services[index]
        guard service.incidentChancePerMillion > 0 else { return false }
        return SeededNoise(seed: seed).chance(service.incidentChancePerMillion, stream: index, day: day.dayNumber, salt: 0xA11CE)
    }
}

/// What one metric did over one interval, in Azure Monitor's aggregations.
struct MetricStats: Sendable, Equatable {
    var average: Double
    var minimum: Double
    var maximum: Double
    var total: Double
    var count: Double

    /// The value of an Azure Monitor aggregation name (Average, Minimum, Maximum, Total, Count).
    func value(_ aggregation: String) -> Double? {
        switch aggregation.lowercased() {
        case "average", "avg": average
        case "minimum", "min": minimum
        case "maximum", "max": maximum
        case "total", "sum": total
        case "count": count
        default: nil
        }
    }
}

/// The emulated subscription's Azure Monitor metrics: deterministic for the
/// world's seed, with a daily rhythm (peak mid-afternoon UTC), quieter
/// weekends, noise per 5-minute bucket, growth, and the cost world's
/// incidents. No data before the world's first day or after "now", as Azure
/// returns time stamps without values there.
struct MetricWorld: Sendable {
    let world: CostWorld

    /// One combination of dimension values (empty: the whole metric).
    typealias Selection = [(dimension: String, value: EmulatedDimension.Value)]

    /// The metric over [start, start + seconds), as of `now`; nil when there is no data.
    func stats(
        _ resource: EmulatedResource, _ metric: EmulatedMetric, selection: Selection = [], start: Date, seconds: Int,
        now: Date
    ) -> MetricStats? {
        let firstInstant = world.firstDay.startInstant(in: EmulatedTime.utc)
        let from = max(start, firstInstant)
        let to = min(start.addingTimeInterval(Double(seconds)), now)
        let span = to.timeIntervalSince(from)
        guard span >= 1 else { return nil }
        let minutes = max(1, Int((span / 60).rounded()))
        let samples = min(minutes, 24)
        var values: [Double] = []
        values.reserveCapacity(samples)
        let share = selection.reduce(1.0) { $0 * $1.value.share }
        let gaugeLevel = selection.reduce(1.0) { $0 * $1.value.level }
        // A counter's dimension values share one noise stream, so that they
        // add up to the unsplit total (as Azure's splits do); a gauge's values
        // each vary on their own.
        let stream = Self.stream(resource.name, metric.name, metric.kind == .counter ? [] : selection.map(\.value.name))
        for i in 0..<samples {
            let t = from.addingTimeInterval(span * (Double(i) + 0.5) / Double(samples))
            values.append(level(metric, at: t, stream: stream) * (metric.kind == .counter ? share : gaugeLevel))
        }
        let mean = values.reduce(0, +) / Double(values.count)
        var low = values.min() ?? 0
        var high = values.max() ?? 0
        // Within a sample's span the raw one-minute values spread a little further.
        if minutes > samples || samples == 1 {
            low *= 1 - metric.noise / 2
            high *= 1 + metric.noise / 2
        }
        switch metric.kind {
        case .counter:
            var total = mean * Double(minutes)
            if metric.integral { total = total.rounded() }
            let count = metric.countsEvents ? total : Double(minutes)
            let perMinute = total / Double(minutes)
            return MetricStats(
                average: Self.round(metric.countsEvents ? 1 : perMinute),
                minimum: Self.round(metric.integral ? low.rounded(.down) : low),
                maximum: Self.round(metric.integral ? high.rounded(.up) : high),
                total: Self.round(total), count: count)
        case .gauge:
            let cap = metric.ceiling ?? .infinity
            let average = metric.integral ? mean.rounded() : mean
            return MetricStats(
                average: Self.round(min(cap, average)),
                minimum: Self.round(min(cap, metric.integral ? low.rounded(.down) : low)),
                maximum: Self.round(min(cap, metric.integral ? high.rounded(.up) : high)),
                total: Self.round(average * Double(minutes)), count: Double(minutes))
        }
    }

    /// A gauge's level or a counter's events per minute at instant `t`.
    func level(_ metric: EmulatedMetric, at t: Date, stream: Int) -> Double {
        let day = CivilDate(t, in: EmulatedTime.utc)
        let secondOfDay = t.timeIntervalSince(day.startInstant(in: EmulatedTime.utc))
        let hour = secondOfDay / 3600
        var value = metric.base
        value *= 1 + metric.dailySwing * cos(2 * Double.pi * (hour - 14) / 24)
        if day.isoWeekday >= 6 { value *= metric.weekendFactor }
        value *= 1 + metric.dailyGrowth * Double(max(0, world.firstDay.days(to: day)))
        if metric.incidentFactor != 1, world.hasIncident(service: metric.incidentService, on: day) {
            value *= metric.incidentFactor
        }
        let bucket = Int((t.timeIntervalSince1970 / 300).rounded(.down))
        let noise = SeededNoise(seed: world.seed).signedMillionths(stream: stream, day: bucket, salt: 0x4D45_5452_4943)
        value *= 1 + metric.noise * Double(noise) / 1_000_000
        return max(0, min(metric.ceiling ?? .infinity, value))
    }

    /// A stable number for a (resource, metric, dimension values) series: FNV-1a,
    /// not Hasher (which differs between runs).
    static func stream(_ resource: String, _ metric: String, _ values: [String]) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in ([resource, metric] + values).joined(separator: "\u{1F}").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        return Int(truncatingIfNeeded: hash & 0x7FFF_FFFF_FFFF)
    }

    /// Six significant digits is plenty for a chart and keeps bodies readable.
    static func round(_ value: Double) -> Double {
        guard value.isFinite, value != 0 else { return value.isFinite ? value : 0 }
        let magnitude = Foundation.floor(log10(abs(value)))
        let scale = pow(10, 5 - magnitude)
        return (value * scale).rounded() / scale
    }

    /// Every combination of the given dimensions' values (one empty selection when none).
    static func selections(_ dimensions: [(EmulatedDimension, [EmulatedDimension.Value])]) -> [Selection] {
        var out: [Selection] = [[]]
        for (dimension, values) in dimensions {
            out = out.flatMap { partial in values.map { partial + [(dimension.name, $0)] } }
        }
        return out
    }
}

extension Double {
    /// Azure writes metric values as JSON numbers like 7.0 or 35513.760416666664.
    var metricJSON: JSONText { .number(isFinite ? "\(self)" : "0.0") }
}
