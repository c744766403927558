import Foundation
import GRDB
import QLPCore

/// Alert notifications waiting to be delivered, and the record of each
/// delivery, in SQLite (WAL, synchronous=FULL, 0600). One row per sink and
/// transition identity, UNIQUE, so queueing a transition twice (two
/// processes, a restart) sends it once. Every change of state is its own
/// transaction, durable before the call returns: after a kill -9 the outbox
/// holds every message queued and knows which were delivered. A message
/// whose attempt was cut short by the kill is sent again after its lease
/// runs out; receivers drop the repeat by its Idempotency-Key.
public final class NotificationOutbox: Sendable {
    public let path: String
    private let pool: DatabasePool

    public init(path: String) throws(StoreError) {
        self.path = path
        pool = try SQLiteFile.open(path, label: "qlp.outbox", durable: true, migrator: Self.migrator, what: "the notification outbox")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-outbox") { db in
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("sink", .text).notNull()
                t.column("identity", .text).notNull()
                t.column("idempotency_key", .text).notNull()
                t.column("alert_key", .text).notNull()
                t.column("severity", .text).notNull()
                t.column("transition_kind", .text).notNull()
                t.column("body", .blob).notNull()
                t.column("headers_json", .text).notNull()
                t.column("state", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("next_attempt_at", .double).notNull()
                t.column("last_error", .text)
                t.column("delivered_at", .double)
                t.column("created_at", .double).notNull()
                t.uniqueKey(["sink", "identity"])
            }
            try db.create(index: "outbox_due", on: "outbox", columns: ["state", "next_attempt_at"])
            try db.create(index: "outbox_alert", on: "outbox", columns: ["alert_key", "sink", "created_at"])
        }
        return migrator
    }

    // MARK: - Writing

    /// Queues `draft`, due at once. Returns false, changing nothing, when the
    /// same sink and identity are already queued (or delivered, or failed).
    @discardableResult
    public func enqueue(_ draft: OutboxDraft, at now: Date) throws(StoreError) -> Bool {
        do {
            let headers = String(decoding: try JSONEncoder().encode(draft.headers), as: UTF8.self)
            return try pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO outbox (sink, identity, idempotency_key, alert_key, severity, transition_kind, body,
                                            headers_json, state, attempts, next_attempt_at, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
                        ON CONFLICT(sink, identity) DO NOTHING
                        """,
                    arguments: [
                        draft.sink, draft.identity, draft.idempotencyKey, draft.alertKey, draft.severity.name,
                        draft.transitionKind.name, Data(draft.body), headers, now.timeIntervalSince1970,
                        now.timeIntervalSince1970,
                    ])
                return db.changesCount > 0
            }
        } catch {
            throw StoreError(path: path, detail: "cannot queue a notification for sink \(draft.sink): \(error)")
        }
    }

    /// Records what an attempt at message `id` came to (one more attempt).
    public func record(_ outcome: OutboxOutcome, for id: Int64, at now: Date) throws(StoreError) {
        do {
            try pool.write { db in
                switch outcome {
                case .delivered:
                    try db.execute(
                        sql: """
                            UPDATE outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL
                            WHERE id = ?
                            """, arguments: [now.timeIntervalSince1970, id])
                case .retry(let at, let error):
                    try db.execute(
                        sql: """
                            UPDATE outbox SET state = 'retrying', attempts = attempts + 1, next_attempt_at = ?, last_error = ?
                            WHERE id = ?
                            """, arguments: [at.timeIntervalSince1970, error, id])
                case .failed(let reason):
                    try db.execute(
                        sql: """
                            UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?
                            """, arguments: [reason, id])
                }
            }
        } catch {
            throw StoreError(path: path, detail: "cannot record a delivery attempt of notification \(id): \(error)")
        }
    }

    /// Takes up to `limit` messages due at `now` (oldest due first) and moves
    /// their next attempt `lease` ahead in the same transaction, so that a
    /// second process sharing the file does not send them too while this one
    /// is sending; `record` then sets the real next time.
    public func claimDue(now: Date, limit: Int, lease: Duration = .seconds(120)) throws(StoreError) -> [OutboxMessage] {
        do {
            return try pool.write { db in
                let messages = try Self.dueMessages(db, now: now, limit: limit)
                let until = now.timeIntervalSince1970 + Double(lease.components.seconds)
                for message in messages {
                    try db.execute(sql: "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", arguments: [until, message.id])
                }
                return messages
            }
        } catch {
            throw StoreError(path: path, detail: "cannot read the due notifications: \(error)")
        }
    }

    /// Prunes delivered and failed messages queued more than `days` days
    /// before `now`; pending ones are kept whatever their age. Returns how many went.
    @discardableResult
    public func prune(olderThanDays days: Int, now: Date) throws(StoreError) -> Int {
        do {
            return try pool.write { db in
                try db.execute(
                    sql: "DELETE FROM outbox WHERE state IN ('delivered', 'failed') AND created_at < ?",
                    arguments: [now.timeIntervalSince1970 - Double(days) * 86400])
                return db.changesCount
            }
        } catch {
            throw StoreError(path: path, detail: "cannot prune the notification outbox: \(error)")
        }
    }

    // MARK: - Reading

    /// Up to `limit` messages due at `now`, oldest due first; changes nothing.
    public func due(now: Date, limit: Int) throws(StoreError) -> [OutboxMessage] {
        do {
            return try pool.read { db in try Self.dueMessages(db, now: now, limit: limit) }
        } catch {
            throw StoreError(path: path, detail: "cannot read the due notifications: \(error)")
        }
    }

    /// When the next pending or retrying message falls due; nil when none waits.
    public func nextDueAt() throws(StoreError) -> Date? {
        do {
            return try pool.read { db in
                try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM outbox WHERE state IN ('pending', 'retrying')")
                    .map { Date(timeIntervalSince1970: $0) }
            }
        } catch {
            throw StoreError(path: path, detail: "cannot read the notification outbox: \(error)")
        }
    }

    /// Every message, oldest first (for tests and `qlp alerts` listings).
    public func messages(alertKey: String? = nil) throws(StoreError) -> [OutboxMessage] {
        do {
            return try pool.read { db in
                let rows: [Row]
                if let alertKey {
                    rows = try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE alert_key = ? ORDER BY id", arguments: [alertKey])
                } else {
                    rows = try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY id")
                }
                return try rows.map { try Self.message($0) }
            }
        } catch {
            throw StoreError(path: path, detail: "cannot read the notification outbox: \(error)")
        }
    }

    /// For one alert: per sink, where its latest transition's message stands.
    public func deliveries(alertKey: String) throws(StoreError) -> [SinkDelivery] {
        try latest(alertKey: alertKey)
    }

    /// For every alert with messages: per sink, where its latest transition's
    /// message stands; keyed by alert key, sinks in name order.
    public func latestStates() throws(StoreError) -> [String: [SinkDelivery]] {
        Dictionary(grouping: try latest(alertKey: nil), by: \.alertKey)
    }

    private func latest(alertKey: String?) throws(StoreError) -> [SinkDelivery] {
        do {
            return try pool.read { db in
                // The latest row per (alert, sink): the highest id, as ids grow with queueing.
                let filter = alertKey == nil ? "" : "WHERE alert_key = ?"
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM outbox WHERE id IN (SELECT MAX(id) FROM outbox \(filter) GROUP BY alert_key, sink)
                        ORDER BY alert_key, sink
                        """, arguments: StatementArguments(alertKey.map { [$0] } ?? []))
                return try rows.map { row in
                    let message = try Self.message(row)
                    let status: SinkDelivery.Status
                    switch message.state {
                    case .pending: status = .pending
                    case .delivered: status = .sent(at: message.deliveredAt ?? message.createdAt)
                    case .retrying:
                        status = .retrying(attempt: message.attempts, nextAt: message.nextAttemptAt, lastError: message.lastError)
                    case .failed: status = .failed(reason: message.lastError ?? "failed")
                    }
                    return SinkDelivery(
                        sink: message.draft.sink, alertKey: message.draft.alertKey,
                        transitionKind: message.draft.transitionKind, identity: message.draft.identity,
                        status: status, queuedAt: message.createdAt)
                }
            }
        } catch {
            throw StoreError(path: path, detail: "cannot read the notification deliveries: \(error)")
        }
    }

    private static func dueMessages(_ db: Database, now: Date, limit: Int) throws -> [OutboxMessage] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM outbox WHERE state IN ('pending', 'retrying') AND next_attempt_at <= ?
                ORDER BY next_attempt_at, id LIMIT ?
                """, arguments: [now.timeIntervalSince1970, limit]
        ).map { try message($0) }
    }

    private struct CorruptRow: Error, CustomStringConvertible {
        var id: Int64
        var description: String { "outbox row \(id) is corrupt" }
    }

    private static func message(_ row: Row) throws -> OutboxMessage {
        let id: Int64 = row["id"]
        guard let state = OutboxState(rawValue: row["state"]),
            let severity = AlertSeverity(name: row["severity"]),
            let transitionKind = AlertTransition.Kind(name: row["transition_kind"]),
            let headersText: String = row["headers_json"],
            let headers = try? JSONDecoder().decode([OutboxHeader].self, from: Data(headersText.utf8))
        else {
            throw CorruptRow(id: id)
        }
        let body: Data = row["body"]
        let draft = OutboxDraft(
            sink: row["sink"], identity: row["identity"], idempotencyKey: row["idempotency_key"],
            alertKey: row["alert_key"], severity: severity, transitionKind: transitionKind,
            body: [UInt8](body), headers: headers)
        return OutboxMessage(
            id: id, draft: draft, state: state, attempts: row["attempts"],
            nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]), lastError: row["last_error"],
            deliveredAt: (row["delivered_at"] as Double?).map { Date(timeIntervalSince1970: $0) },
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }
}
