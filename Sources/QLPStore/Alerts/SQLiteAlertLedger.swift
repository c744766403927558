import Foundation
import GRDB
import QLPCore

/// Every alert raised, cleared and acknowledged, in SQLite (WAL, one
/// transaction per change), so that a restart keeps the history and the
/// acknowledgements, and starts its watch from the conditions still open
/// rather than raising them (and notifying) again.
public final class SQLiteAlertLedger: Sendable {
    public let path: String
    /// Cleared occurrences older than this are pruned when the file opens.
    public let maxAge: TimeInterval
    let writer: any DatabaseWriter

    public init(path: String, maxAge: TimeInterval = 90 * 86_400, now: Date = Date()) throws(StoreError) {
        self.path = path
        self.maxAge = maxAge
        writer = try SQLiteFile.open(path, label: "qlp.alerts", migrator: Self.migrator, what: "the alert history")
        do {
            try writer.write { db in
                try db.execute(
                    sql: "DELETE FROM alert_occurrence WHERE cleared_at IS NOT NULL AND cleared_at < ?",
                    arguments: [now.timeIntervalSince1970 - maxAge])
            }
        } catch {
            throw StoreError(path: path, detail: "cannot prune the alert history: \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-alert-occurrences") { db in
            try db.create(table: "alert_occurrence") { t in
                t.column("key", .text).notNull()
                t.column("raised_at", .double).notNull()
                t.column("severity", .text).notNull()
                t.column("source", .text).notNull()
                t.column("text", .text).notNull()
                t.column("headline", .text)
                t.column("cleared_at", .double)
                t.column("acknowledged_by", .text)
                t.column("acknowledged_at", .double)
                t.column("last_notice", .double).notNull()
                t.column("reminders", .integer).notNull().defaults(to: 0)
                t.primaryKey(["key", "raised_at"])
            }
            try db.create(index: "alert_occurrence_open", on: "alert_occurrence", columns: ["cleared_at"])
        }
        return migrator
    }

    /// Records what the watch saw change. Raising an occurrence already
    /// recorded (the same key and time) only refreshes its text.
    public func record(_ transitions: [AlertTransition]) throws(StoreError) {
        guard !transitions.isEmpty else { return }
        do {
            try writer.write { db in
                for t in transitions {
                    let key = t.alert.key
                    let raised = t.raisedAt.timeIntervalSince1970
                    switch t.kind {
                    case .raised:
                        try db.execute(
                            sql: """
                                INSERT INTO alert_occurrence (key, raised_at, severity, source, text, headline, last_notice)
                                VALUES (?, ?, ?, ?, ?, ?, ?)
                                ON CONFLICT (key, raised_at) DO UPDATE SET text = excluded.text, headline = excluded.headline
                                """,
                            arguments: [
                                key, raised, t.alert.severity.name, t.alert.source.name, t.alert.text, t.alert.headline,
                                t.at.timeIntervalSince1970,
                            ])
                    case .cleared:
                        try db.execute(
                            sql: "UPDATE alert_occurrence SET cleared_at = ?, text = ? WHERE key = ? AND raised_at = ?",
                            arguments: [(t.clearedAt ?? t.at).timeIntervalSince1970, t.alert.text, key, raised])
                    case .reminder:
                        try db.execute(
                            sql: """
                                UPDATE alert_occurrence SET last_notice = ?, reminders = ?, text = ? WHERE key = ? AND raised_at = ?
                                """, arguments: [t.at.timeIntervalSince1970, t.reminder, t.alert.text, key, raised])
                    }
                }
            }
        } catch {
            throw StoreError(path: path, detail: "cannot record alerts: \(error)")
        }
    }

    /// Marks the newest occurrence of `key` acknowledged (the open one, if
    /// it is open); false when there is none or it already was.
    @discardableResult
    public func acknowledge(key: String, by who: String, at: Date) throws(StoreError) -> Bool {
        do {
            return try writer.write { db in
                try db.execute(
                    sql: """
                        UPDATE alert_occurrence SET acknowledged_by = ?, acknowledged_at = ?
                        WHERE key = ? AND acknowledged_at IS NULL
                          AND raised_at = (SELECT MAX(raised_at) FROM alert_occurrence WHERE key = ?)
                        """, arguments: [who, at.timeIntervalSince1970, key, key])
                return db.changesCount > 0
            }
        } catch {
            throw StoreError(path: path, detail: "cannot record the acknowledgement: \(error)")
        }
    }

    /// The occurrences still open, for the watch to start from.
    public func open() throws(StoreError) -> [AlertOccurrence] {
        try occurrences(sql: "SELECT * FROM alert_occurrence WHERE cleared_at IS NULL ORDER BY raised_at DESC", arguments: [])
    }

    /// The newest occurrences, open or not, newest first.
    public func recent(limit: Int = 200) throws(StoreError) -> [AlertOccurrence] {
        try occurrences(sql: "SELECT * FROM alert_occurrence ORDER BY raised_at DESC LIMIT ?", arguments: [limit])
    }

    private func occurrences(sql: String, arguments: StatementArguments) throws(StoreError) -> [AlertOccurrence] {
        do {
            return try writer.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap(Self.occurrence)
            }
        } catch {
            throw StoreError(path: path, detail: "cannot read the alert history: \(error)")
        }
    }

    /// A row as an occurrence; a row whose severity or source this version
    /// does not know is skipped rather than misread.
    static func occurrence(_ row: Row) -> AlertOccurrence? {
        guard let severity = AlertSeverity(name: row["severity"]), let source = AlertSource(name: row["source"]) else { return nil }
        let alert = Alert(
            key: row["key"], severity: severity, source: source, text: row["text"], headline: row["headline"],
            at: Date(timeIntervalSince1970: row["raised_at"]))
        let cleared: Double? = row["cleared_at"]
        let acknowledged: Double? = row["acknowledged_at"]
        return AlertOccurrence(
            alert: alert, raisedAt: Date(timeIntervalSince1970: row["raised_at"]),
            clearedAt: cleared.map(Date.init(timeIntervalSince1970:)), acknowledgedBy: row["acknowledged_by"],
            acknowledgedAt: acknowledged.map(Date.init(timeIntervalSince1970:)),
            lastNotice: Date(timeIntervalSince1970: row["last_notice"]), reminders: row["reminders"])
    }
}

extension AlertTracker {
    /// A tracker that picks up where a ledger's open occurrences left off.
    public init(reminderInterval: TimeInterval?, resuming open: [AlertOccurrence]) {
        self.init(
            reminderInterval: reminderInterval,
            open: open.map {
                AlertTracker.Open(alert: $0.alert, raisedAt: $0.raisedAt, lastNotice: $0.lastNotice, reminders: $0.reminders)
            })
    }
}
