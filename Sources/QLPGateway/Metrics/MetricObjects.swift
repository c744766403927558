import Atomics
import Synchronization

/// Metric objects made once per label set, the first time it is used, and
/// found again with one atomic load: a request only increments and records.
/// Past `limit` label sets, new ones share the objects of an overflow set,
/// so label values from outside (key names) cannot grow the series without bound.
final class MetricObjects<Metrics: Sendable>: Sendable {
    private final class Table: AtomicReference, Sendable {
        let byKey: [String: Metrics]
        init(_ byKey: [String: Metrics]) { self.byKey = byKey }
    }

    private let table = ManagedAtomic(Table([:]))
    private let growing = Mutex(())
    private let limit: Int

    init(limit: Int = .max) {
        self.limit = limit
    }

    /// The objects for `key`, made by `make(false)` the first time; once
    /// `limit` sets exist, a new key gets those stored under `overflowKey`,
    /// made by `make(true)` the first time.
    func objects(_ key: String, overflowKey: @autoclosure () -> String, make: (_ overflowed: Bool) -> Metrics) -> Metrics {
        if let metrics = table.load(ordering: .acquiring).byKey[key] { return metrics }
        return growing.withLock { _ in
            let current = table.load(ordering: .acquiring)
            if let metrics = current.byKey[key] { return metrics }
            let overflowed = current.byKey.count >= limit
            let stored = overflowed ? overflowKey() : key
            if let metrics = current.byKey[stored] { return metrics }
            let metrics = make(overflowed)
            var byKey = current.byKey
            byKey[stored] = metrics
            table.store(Table(byKey), ordering: .releasing)
            return metrics
        }
    }
}
