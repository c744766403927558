/// The last `capacity` values in a fixed ring, for percentiles and rates over
/// recent traffic without growing memory.
struct RecentSamples<Value: Sendable>: Sendable {
    private var values: [Value] = []
    private var next = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        values.reserveCapacity(capacity)
    }

    mutating func append(_ value: Value) {
        if values.count < capacity {
            values.append(value)
        } else {
            values[next] = value
        }
        next = (next + 1) % capacity
    }

    var all: [Value] { values }
    var count: Int { values.count }
}

extension RecentSamples where Value == Double {
    /// Nearest-rank percentiles (0...100) of the samples held; nil when empty.
    func percentiles(_ ranks: [Double]) -> [Double?] {
        guard !values.isEmpty else { return ranks.map { _ in nil } }
        let sorted = values.sorted()
        return ranks.map { rank in
            let index = Int((rank / 100 * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(max(index, 0), sorted.count - 1)]
        }
    }
}
