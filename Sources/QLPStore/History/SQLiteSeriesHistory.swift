import Foundation
import GRDB
import Synchronization

/// One point of a time series (a target's latency, a metric's value).
public struct SeriesPoint: Sendable, Equatable {
    public var at: Date
    public var value: Double

    public init(at: Date, value: Double) {
        self.at = at
        self.value = value
    }
}

/// Time series the dashboard's charts draw (model latency, Azure Monitor
/// metrics) and the budget figures over time, kept in SQLite (WAL) so they
/// survive a restart.
///
/// Bounded three ways: points older than `maxAge` are pruned (when the file
/// opens, then at most every `pruneInterval` on write), no series keeps more
/// than `maxPointsPerSeries` on disk, and each series holds at most
/// `memoryPointsPerSeries` in memory, where the charts read from. When the
/// file cannot be used (unwritable directory, corrupt file) the history lives
/// in memory only: `problem` says why and names the file.
public final class SQLiteSeriesHistory: Sendable {
    public let path: String
    public let maxAge: TimeInterval
    public let maxPointsPerSeries: Int
    /// Sampled series (`record`) store a point only this long after the last
    /// one stored; memory keeps every point.
    public let sampleSpacing: TimeInterval
    public let memoryPointsPerSeries: Int
    public let pruneInterval: TimeInterval
    /// Why the file is not used, when it is not: history then starts empty
    /// and is not kept past this process.
    public let problem: StoreError?
    let writer: (any DatabaseWriter)?
    private let memory: Mutex<Memory>

    struct Memory {
        var rings: [String: SeriesRing] = [:]
        /// How far back each ring holds everything the file has.
        var loadedSince: [String: Date] = [:]
        var lastStored: [String: Date] = [:]
        var lastPrune: Date?
        var lastCostFigures: [String: Date] = [:]
    }

    /// Opens (creating) the file; throws when it cannot be used.
    public init(
        path: String, maxAge: TimeInterval = HistoryRetention.seriesMaxAge,
        maxPointsPerSeries: Int = HistoryRetention.maxPointsPerSeries, sampleSpacing: TimeInterval = 0,
        memoryPointsPerSeries: Int = HistoryRetention.memoryPointsPerSeries,
        pruneInterval: TimeInterval = HistoryRetention.pruneInterval, now: Date = Date()
    ) throws(StoreError) {
        self.path = path
        self.maxAge = maxAge
        self.maxPointsPerSeries = max(1, maxPointsPerSeries)
        self.sampleSpacing = sampleSpacing
        self.memoryPointsPerSeries = memoryPointsPerSeries
        self.pruneInterval = pruneInterval
        self.problem = nil
        self.memory = Mutex(Memory())
        writer = try SQLiteFile.open(path, label: "qlp.series", migrator: Self.migrator, what: "the series history")
        try prune(now: now)
    }

    /// A history that keeps nothing on disk, because `problem`.
    init(
        inMemoryBecause problem: StoreError, maxAge: TimeInterval, maxPointsPerSeries: Int, sampleSpacing: TimeInterval,
        memoryPointsPerSeries: Int
    ) {
        self.path = problem.path
        self.maxAge = maxAge
        self.maxPointsPerSeries = max(1, maxPointsPerSeries)
        self.sampleSpacing = sampleSpacing
        self.memoryPointsPerSeries = memoryPointsPerSeries
        self.pruneInterval = HistoryRetention.pruneInterval
        self.problem = problem
        self.memory = Mutex(Memory())
        self.writer = nil
    }

    /// The file's history, or (when the file cannot be used) one in memory
    /// whose `problem` names the file and the reason. Never fails: charts
    /// lose their past, never the dashboard.
    public static func openOrKeepInMemory(
        path: String, maxAge: TimeInterval = HistoryRetention.seriesMaxAge,
        maxPointsPerSeries: Int = HistoryRetention.maxPointsPerSeries,
        sampleSpacing: TimeInterval = HistoryRetention.latencySampleSpacing,
        memoryPointsPerSeries: Int = HistoryRetention.memoryPointsPerSeries,
        now: Date = Date()
    ) -> SQLiteSeriesHistory {
        do {
            return try SQLiteSeriesHistory(
                path: path, maxAge: maxAge, maxPointsPerSeries: maxPointsPerSeries, sampleSpacing: sampleSpacing,
                memoryPointsPerSeries: memoryPointsPerSeries, now: now)
        } catch {
            return SQLiteSeriesHistory(
                inMemoryBecause: error, maxAge: maxAge, maxPointsPerSeries: maxPointsPerSeries,
                sampleSpacing: sampleSpacing, memoryPointsPerSeries: memoryPointsPerSeries)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-series-points") { db in
            try db.create(table: "series_point") { t in
                t.column("series", .text).notNull()
                t.column("at", .double).notNull()
                t.column("value", .double).notNull()
            }
            try db.create(index: "series_point_series_at", on: "series_point", columns: ["series", "at"])
        }
        migrator.registerMigration("v2-unique-points-units-cost-figures") { db in
            // A metric's five-minute slot is fetched again and again (and filled in
            // late): one row per series and time, updated in place.
            try db.execute(sql: "DELETE FROM series_point WHERE rowid NOT IN (SELECT MAX(rowid) FROM series_point GROUP BY series, at)")
            try db.drop(index: "series_point_series_at")
            try db.create(index: "series_point_series_at", on: "series_point", columns: ["series", "at"], unique: true)
            try db.create(table: "series_unit") { t in
                t.primaryKey("series", .text)
                t.column("unit", .text).notNull()
            }
            try db.create(table: "cost_figures") { t in
                t.column("scope", .text).notNull()
                t.column("at", .double).notNull()
                t.column("month", .integer).notNull()
                t.column("month_to_date", .text).notNull()
                t.column("credit_used", .text).notNull()
                t.column("currency", .text).notNull()
            }
            try db.create(index: "cost_figures_scope_at", on: "cost_figures", columns: ["scope", "at"], unique: true)
        }
        return migrator
    }

    // MARK: - Sampled series (model latency)

    /// Adds one point to each series. Memory keeps every point; the file
    /// keeps one per `sampleSpacing`, all in one transaction.
    public func record(_ points: [String: SeriesPoint], now: Date = Date()) throws(StoreError) {
        let spacing = sampleSpacing
        let toStore: [(String, SeriesPoint)] = memory.withLock { memory in
            var toStore: [(String, SeriesPoint)] = []
            for (series, point) in points.sorted(by: { $0.key < $1.key }) {
                memory.rings[series, default: SeriesRing(capacity: memoryPointsPerSeries)].insert(point)
                if let last = memory.lastStored[series], point.at.timeIntervalSince(last) < spacing, point.at >= last { continue }
                memory.lastStored[series] = point.at
                toStore.append((series, point))
            }
            return toStore
        }
        try store(toStore, units: [:], now: now)
    }

    // MARK: - Slotted series (Azure Monitor metrics)

    /// Puts each series' points in place: a time already held takes the new
    /// value. Only points that are new or changed reach the file, in one
    /// transaction with the series' units.
    public func recordSlots(_ series: [String: [SeriesPoint]], units: [String: String] = [:], now: Date = Date()) throws(StoreError) {
        let toStore: [(String, SeriesPoint)] = memory.withLock { memory in
            var toStore: [(String, SeriesPoint)] = []
            for (name, points) in series.sorted(by: { $0.key < $1.key }) {
                var ring = memory.rings[name] ?? SeriesRing(capacity: memoryPointsPerSeries)
                let held = Dictionary(ring.points.map { ($0.at, $0.value) }, uniquingKeysWith: { _, new in new })
                // Oldest first, so each point lands at the ring's end (O(1)), as a fetch's points do.
                for point in points.sorted(by: { $0.at < $1.at }) where held[point.at] != point.value {
                    ring.insert(point)
                    toStore.append((name, point))
                }
                memory.rings[name] = ring
            }
            return toStore
        }
        try store(toStore, units: units, now: now)
    }

    /// The units recorded with `recordSlots`, by series.
    public func units(_ series: [String]) throws(StoreError) -> [String: String] {
        guard let writer, !series.isEmpty else { return [:] }
        do {
            return try writer.read { db in
                var units: [String: String] = [:]
                for name in series {
                    if let unit = try String.fetchOne(db, sql: "SELECT unit FROM series_unit WHERE series = ?", arguments: [name]) {
                        units[name] = unit
                    }
                }
                return units
            }
        } catch {
            throw StoreError(path: path, detail: "cannot read series units: \(error)")
        }
    }

    // MARK: - Reading

    /// A series' points since `since`, oldest first: from memory, which is
    /// filled from the file the first time a span is asked for.
    public func points(_ series: String, since: Date) throws(StoreError) -> [SeriesPoint] {
        let loaded = memory.withLock { memory -> [SeriesPoint]? in
            guard let from = memory.loadedSince[series], from <= since else { return nil }
            return memory.rings[series]?.points(since: since) ?? []
        }
        if let loaded { return loaded }
        let stored = try storedPoints(series, since: since)
        return memory.withLock { memory in
            var ring = memory.rings[series] ?? SeriesRing(capacity: memoryPointsPerSeries)
            // Newest first, so a ring too small for the span keeps its newest part.
            for point in stored.reversed() { ring.insert(point) }
            memory.rings[series] = ring
            memory.loadedSince[series] = min(since, memory.loadedSince[series] ?? since)
            if let last = stored.last?.at, memory.lastStored[series].map({ $0 < last }) ?? true { memory.lastStored[series] = last }
            return ring.points(since: since)
        }
    }

    /// What the file holds for a series since `since`, oldest first (bypassing memory).
    public func storedPoints(_ series: String, since: Date) throws(StoreError) -> [SeriesPoint] {
        guard let writer else { return [] }
        do {
            return try writer.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT at, value FROM series_point WHERE series = ? AND at >= ? ORDER BY at",
                    arguments: [series, since.timeIntervalSince1970]
                )
                .map { SeriesPoint(at: Date(timeIntervalSince1970: $0["at"]), value: $0["value"]) }
            }
        } catch {
            throw StoreError(path: path, detail: "cannot read series '\(series)': \(error)")
        }
    }

    // MARK: - Writing and pruning

    private func store(_ points: [(String, SeriesPoint)], units: [String: String], now: Date) throws(StoreError) {
        guard let writer, !points.isEmpty || !units.isEmpty else { return }
        do {
            try writer.write { db in
                let insert = try db.cachedStatement(
                    sql: """
                        INSERT INTO series_point (series, at, value) VALUES (?, ?, ?)
                        ON CONFLICT(series, at) DO UPDATE SET value = excluded.value
                        """)
                for (series, point) in points {
                    try insert.execute(arguments: [series, point.at.timeIntervalSince1970, point.value])
                }
                for (series, unit) in units {
                    try db.execute(
                        sql: "INSERT INTO series_unit (series, unit) VALUES (?, ?) ON CONFLICT(series) DO UPDATE SET unit = excluded.unit",
                        arguments: [series, unit])
                }
            }
        } catch {
            throw StoreError(path: path, detail: "cannot record series points: \(error)")
        }
        let due = memory.withLock { memory in
            guard memory.lastPrune.map({ now.timeIntervalSince($0) >= pruneInterval || now < $0 }) ?? true else { return false }
            memory.lastPrune = now
            return true
        }
        if due { try prune(now: now) }
    }

    /// Drops points older than `maxAge`, each series' points beyond
    /// `maxPointsPerSeries` (its oldest), and cost figures older than their
    /// own limit: in one transaction.
    public func prune(now: Date = Date()) throws(StoreError) {
        memory.withLock { $0.lastPrune = now }
        guard let writer else { return }
        do {
            try writer.write { db in
                // Series by series, through the (series, at) index: a month of points for
                // 26 series (432,000 rows, 40 MB) prunes in about 50 ms where one
                // statement over the whole table (a scan and a window sort) took 800 ms.
                let counts = try Row.fetchAll(db, sql: "SELECT series, COUNT(*) AS n FROM series_point GROUP BY series")
                for row in counts {
                    let series: String = row["series"]
                    try db.execute(
                        sql: "DELETE FROM series_point WHERE series = ? AND at < ?",
                        arguments: [series, now.timeIntervalSince1970 - maxAge])
                    guard (row["n"] as Int) > maxPointsPerSeries else { continue }
                    try db.execute(
                        sql: """
                            DELETE FROM series_point WHERE series = ? AND at <=
                            (SELECT at FROM series_point WHERE series = ? ORDER BY at DESC LIMIT 1 OFFSET ?)
                            """, arguments: [series, series, maxPointsPerSeries])
                }
                try db.execute(
                    sql: "DELETE FROM cost_figures WHERE at < ?",
                    arguments: [now.timeIntervalSince1970 - HistoryRetention.costFiguresMaxAge])
            }
        } catch {
            throw StoreError(path: path, detail: "cannot prune the series history: \(error)")
        }
    }

    /// Notes a cost-figures row and says whether it is due (at most one per
    /// `HistoryRetention.costFigureSpacing` per scope).
    func costFiguresDue(scope: String, at: Date) -> Bool {
        memory.withLock { memory in
            if let last = memory.lastCostFigures[scope], at.timeIntervalSince(last) < HistoryRetention.costFigureSpacing, at >= last {
                return false
            }
            memory.lastCostFigures[scope] = at
            return true
        }
    }
}
