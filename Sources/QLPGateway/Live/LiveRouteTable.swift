import Atomics
import QLPRouting

/// The route table requests read: one immutable snapshot behind an atomic
/// reference. Readers never lock; a change is persisted first and then
/// published here with one atomic store, so a request keeps the snapshot it
/// loaded for its whole life.
public final class LiveRouteTable: Sendable {
    /// One published table. A class so that it can sit behind an atomic reference.
    public final class Snapshot: AtomicReference, Sendable {
        public let table: RouteTable

        public init(table: RouteTable) {
            self.table = table
        }
    }

    private let current: ManagedAtomic<Snapshot>

    public init(_ table: RouteTable) {
        current = ManagedAtomic(Snapshot(table: table))
    }

    /// The table now in force; costs one atomic load.
    public var snapshot: Snapshot { current.load(ordering: .acquiring) }

    /// Makes `table` the one new requests see. Callers persist it first.
    public func publish(_ table: RouteTable) {
        current.store(Snapshot(table: table), ordering: .releasing)
    }
}
