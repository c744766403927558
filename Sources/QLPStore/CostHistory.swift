import Foundation
import QLPCore

/// The last cost rows fetched for a scope, and when. Kept so that a restarted
/// dashboard shows the last known numbers at once (marked with their age)
/// instead of an empty screen while Cost Management is slow or throttled.
public struct CostSnapshot: Sendable, Equatable {
    public var scope: String
    public var range: DayRange
    public var costs: [DailyCost]
    public var fetchedAt: Date

    public init(scope: String, range: DayRange, costs: [DailyCost], fetchedAt: Date) {
        self.scope = scope
        self.range = range
        self.costs = costs
        self.fetchedAt = fetchedAt
    }
}

/// Where cost snapshots are kept.
public protocol CostHistory: Sendable {
    /// Replaces what is stored for the snapshot's scope and days, atomically.
    func save(_ snapshot: CostSnapshot) throws(StoreError)
    /// The latest snapshot for a scope, if any.
    func latest(scope: String) throws(StoreError) -> CostSnapshot?
}

/// A storage failure, naming the database file.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var detail: String

    public init(path: String, detail: String) {
        self.path = path
        self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }
}
