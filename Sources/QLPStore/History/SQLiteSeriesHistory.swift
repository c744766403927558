import Foundation
import GRDB

/// One point of a time series (a target's latency, a metric's value).
public struct SeriesPoint: Sendable, Equatable {
    public var at: Date
    public var value: Double

    public init(at: Date, value: Double) {
        self.at = at
        self.value = value
    }
}

/// Time series the dashboard's charts draw, kept in SQLite (WAL) so they
/// survive a restart. Retention is bounded twice: points older than
/// `maxAge` go, and no series keeps more than `maxPointsPerSeries`, so the
/// file cannot grow without end however long the dashboard runs.
public final class SQLiteSeriesHistory: Sendable {
    public let path: String
    public let maxAge: TimeInterval
    public let maxPointsPerSeries: Int
    private let pool: DatabasePool

    public init(path: String, maxAge: TimeInterval = 7 * 86_400, maxPointsPerSeries: Int = 2_000) throws(StoreError) {
        self.path = path
        self.maxAge = maxAge
        self.maxPointsPerSeries = max(1, maxPointsPerSeries)
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.label = "qlp.series"
            configuration.busyMode = .timeout(5)
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw StoreError(path: path, detail: "cannot open the series history: \(error)")
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
        return migrator
    }

    /// Adds points, then drops what retention no longer allows for those series.
    public func record(_ points: [String: SeriesPoint], now: Date = Date()) throws(StoreError) {
        do {
            try pool.write { db in
                for (series, point) in points {
                    try db.execute(sql: "INSERT INTO series_point (series, at, value) VALUES (?, ?, ?)",
                                   arguments: [series, point.at.timeIntervalSince1970, point.value])
                    try db.execute(sql: "DELETE FROM series_point WHERE series = ? AND at < ?",
                                   arguments: [series, now.timeIntervalSince1970 - maxAge])
                    try db.execute(sql: """
                        DELETE FROM series_point WHERE series = ? AND rowid NOT IN
                        (SELECT rowid FROM series_point WHERE series = ? ORDER BY at DESC, rowid DESC LIMIT ?)
                        """, arguments: [series, series, maxPointsPerSeries])
                }
            }
        } catch {
            throw StoreError(path: path, detail: "cannot record series points: \(error)")
        }
    }

    /// A series' points since `since`, oldest first.
    public func points(_ series: String, since: Date) throws(StoreError) -> [SeriesPoint] {
        do {
            return try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT at, value FROM series_point WHERE series = ? AND at >= ? ORDER BY at, rowid",
                                 arguments: [series, since.timeIntervalSince1970])
                    .map { SeriesPoint(at: Date(timeIntervalSince1970: $0["at"]), value: $0["value"]) }
            }
        } catch {
            throw StoreError(path: path, detail: "cannot read series '\(series)': \(error)")
        }
    }
}
