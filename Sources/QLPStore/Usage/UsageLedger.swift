import Foundation
import QLPCore

/// Where the gateway's usage rows and their hourly rollups are kept. SQLite
/// on one machine; a fleet store (Redis) shares the rollups and per-key
/// spend between replicas as a second implementation of this seam.
public protocol UsageLedger: Sendable {
    /// Adds a batch of requests and folds them into the hourly rollups, in one transaction.
    func append(_ records: [UsageRecord]) throws(StoreError)
    /// Requests from `from` (inclusive) to `to` (exclusive), oldest first.
    func records(from: Date, to: Date) throws(StoreError) -> [UsageRecord]
    /// Hourly rollups whose hour starts in [from, to).
    func rollups(from: Date, to: Date) throws(StoreError) -> [UsageRollup]
    /// Cost per key name since `since` (from the rollups: a budget period starts on an hour).
    func spendByKey(since: Date) throws(StoreError) -> [String: Decimal]
}
