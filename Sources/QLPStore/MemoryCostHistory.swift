import Synchronization

/// Cost history in memory, for tests and for runs that must not touch disk.
public final class MemoryCostHistory: CostHistory {
    private let snapshots = Mutex<[String: CostSnapshot]>([:])

    public init() {}

    public func save(_ snapshot: CostSnapshot) throws(StoreError) {
        snapshots.withLock { $0[snapshot.scope] = snapshot }
    }

    public func latest(scope: String) throws(StoreError) -> CostSnapshot? {
        snapshots.withLock { $0[scope] }
    }
}
