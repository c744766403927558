import Foundation
import QLPCore
import QLPStore

extension TrafficWorld {
    /// Writes the history's requests in [from, to) into `ledger`, an hour's
    /// requests or more per `append` (one transaction each), oldest first,
    /// and returns how many it wrote.
    ///
    /// Idempotent: it resumes after the newest request of this history's keys
    /// that the ledger already holds in [from, to), so running it again (the
    /// demo started again later, or twice) appends only what is new and never
    /// a request twice. Because batches go oldest first and each is one
    /// transaction, what a failed run leaves is always a prefix, and the next
    /// run completes it. Rows of other keys (live gateway traffic) in the same
    /// file neither block nor move the resume point.
    ///
    /// A ledger's request rows are pruned after its retention when it is
    /// opened; its hourly rollups stay longer. Where an hour's rows are pruned
    /// the resume point is the end of the newest hour the rollups show.
    @discardableResult
    public func fill(_ ledger: any UsageLedger, from: Date, to: Date, batchSize: Int = 5_000) throws(StoreError) -> Int {
        guard from < to else { return 0 }
        let start = try resumePoint(in: ledger, from: from, to: to)
        guard start < to else { return 0 }
        var batch: [UsageRecord] = []
        var written = 0
        for hour in Self.hour(of: start)...Self.hour(of: to) {
            batch += records(inHour: hour).filter { $0.time >= start && $0.time < to }
            if batch.count >= max(1, batchSize) {
                try ledger.append(batch)
                written += batch.count
                batch.removeAll(keepingCapacity: true)
            }
        }
        try ledger.append(batch)
        return written + batch.count
    }

    /// Where to start writing: `from`, or just after the newest request of this history's keys already in the ledger.
    func resumePoint(in ledger: any UsageLedger, from: Date, to: Date) throws(StoreError) -> Date {
        let names = Set(keys.map(\.name))
        guard
            let lastHour = try ledger.rollups(from: Self.instant(hour: Self.hour(of: from), millisecond: 0), to: to)
                .filter({ names.contains($0.keyName) }).map(\.hour).max()
        else { return from }
        let hourEnd = lastHour.addingTimeInterval(3600)
        let newest = try ledger.records(from: max(from, lastHour), to: min(to, hourEnd))
            .filter { names.contains($0.keyName) }.map(\.time).max()
        guard let newest else { return max(from, hourEnd) }
        // Strictly after it: requests at the same instant were written with it.
        return max(from, Date(timeIntervalSince1970: newest.timeIntervalSince1970.nextUp))
    }
}
