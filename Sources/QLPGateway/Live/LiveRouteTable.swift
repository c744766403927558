import Atomics
import QLPRouting
import Synchronization

/// The route table requests read: one immutable snapshot behind an atomic
/// reference. Readers never lock; a change is persisted first and then
/// published here with one atomic store, so a request keeps the snapshot it
/// loaded for its whole life.
public final class LiveRouteTable: Sendable {
    /// One published table, compiled once for the planner. A class so that it
    /// can sit behind an atomic reference.
    public final class Snapshot: AtomicReference, Sendable {
        public let table: RouteTable
        public let compiled: CompiledRoutes

        public init(table: RouteTable, activeRules: [BudgetRoutingRule] = []) {
            self.table = table
            compiled = CompiledRoutes(table: table, activeRules: activeRules)
        }
    }

    private let current: ManagedAtomic<Snapshot>
    /// Per-route request counters for the weighted policy; they live outside
    /// the snapshot so that a weight change does not restart the rotation.
    public let ticks = RouteTicks()

    public init(_ table: RouteTable, activeRules: [BudgetRoutingRule] = []) {
        current = ManagedAtomic(Snapshot(table: table, activeRules: activeRules))
    }

    /// The table now in force; costs one atomic load.
    public var snapshot: Snapshot { current.load(ordering: .acquiring) }

    /// Makes `table` the one new requests see, with the budget rules active
    /// now kept. Callers persist it first.
    public func publish(_ table: RouteTable) {
        publish(table, activeRules: snapshot.compiled.activeRules)
    }

    /// Makes `table` with these active budget rules the one new requests see.
    public func publish(_ table: RouteTable, activeRules: [BudgetRoutingRule]) {
        current.store(Snapshot(table: table, activeRules: activeRules), ordering: .releasing)
    }
}

/// One atomic counter per route name, created on first use and kept across
/// table swaps.
public final class RouteTicks: Sendable {
    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    private final class Registry: AtomicReference, Sendable {
        let counters: [String: Counter]
        init(counters: [String: Counter]) { self.counters = counters }
    }

    private let registry = ManagedAtomic(Registry(counters: [:]))
    private let growing = Mutex(())

    public init() {}

    /// This request's tick for `route`: 0, 1, 2, ... in arrival order.
    public func next(_ route: String) -> Int {
        counter(route).value.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    private func counter(_ route: String) -> Counter {
        if let counter = registry.load(ordering: .acquiring).counters[route] { return counter }
        return growing.withLock { _ in
            let current = registry.load(ordering: .acquiring)
            if let counter = current.counters[route] { return counter }
            let counter = Counter()
            var counters = current.counters
            counters[route] = counter
            registry.store(Registry(counters: counters), ordering: .releasing)
            return counter
        }
    }
}
