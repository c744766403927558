import Foundation
import GRDB
import QLPRouting
import Synchronization

/// Every route table version and the audit log of every attempt to change
/// one, in SQLite (WAL, synchronous=FULL). A change is committed with its
/// audit row in one transaction that is on disk before `commit` returns, and
/// only then published to the gateway: a crash at any point leaves either the
/// old table or the new one with its audit row, never one without the other,
/// and never a gap in the versions.
///
/// On start, `seedIfEmpty(from:configDigest:)` reconciles the stored table
/// with the config file: the first run stores the file's table as version 1;
/// later runs keep the live table, unless the file's routing has been edited
/// since, in which case the edit is applied on top of it as a new version by
/// the actor "config" (see ``ConfigEditMerge``). So a restart neither loses
/// changes made through the admin API nor ignores an edited file.
public final class SQLiteRouteStore: RouteStore {
    public let path: String
    private let pool: DatabasePool
    /// Why the last read or write failed; nil once one succeeds again.
    private let lastFailure = Mutex<String?>(nil)

    public init(path: String) throws(StoreError) {
        self.path = path
        // A route change is acknowledged to an operator only once it is durable.
        pool = try SQLiteFile.open(path, label: "qlp.routes", durable: true, migrator: Self.migrator, what: "the route database")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-route-tables") { db in
            try db.create(table: "route_table_version") { t in
                t.primaryKey("version", .integer)
                t.column("table_json", .text).notNull()
                t.column("at", .double).notNull()
            }
            try db.create(table: "route_audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .double).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("summary", .text).notNull()
                t.column("from_version", .integer).notNull()
                t.column("to_version", .integer)
                t.column("outcome", .text).notNull()
                t.column("reason", .text)
                t.column("rejection", .text)
            }
            // The config file's routing as last seeded, to tell an edited file from an unchanged one.
            try db.create(table: "route_config_seed") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("digest", .text).notNull()
                t.column("table_json", .text).notNull()
                t.column("at", .double).notNull()
            }
        }
        // Which state each budget rule was last recorded in, so that several processes on one database
        // (a gateway and a dashboard) record a rule firing once.
        migrator.registerMigration("v2-rule-state") { db in
            try db.create(table: "route_rule_state") { t in
                t.primaryKey("rule", .text)
                t.column("fired", .boolean).notNull()
            }
        }
        return migrator
    }

    public var location: String { "the route database \(path)" }

    public var status: RouteStoreStatus {
        let failure = lastFailure.withLock { $0 }
        return RouteStoreStatus(kind: .sqlite, address: path, healthy: failure == nil, detail: failure)
    }

    /// Two processes on one file (a gateway and a dashboard): a look costs one index read.
    public var lookInterval: Duration { .seconds(2) }

    /// SQLite cannot tell: another process's commit is found by looking (``latestVersion()``).
    public func announcements() -> AsyncStream<Int?>? { nil }

    /// Runs `body`, remembering whether the database answered (for ``status``).
    private func tracked<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        do {
            let value = try body()
            lastFailure.withLock { $0 = nil }
            return value
        } catch {
            lastFailure.withLock { $0 = error.detail }
            throw error
        }
    }

    // MARK: - Writing

    /// Stores `table` (whose version must be the latest + 1) and its audit
    /// entry in one transaction, durable before this returns.
    @discardableResult
    public func commit(table: RouteTable, audit: RouteAuditDraft) throws(StoreError) -> RouteAuditEntry {
        try tracked { () throws(StoreError) in
            do {
                return try pool.write { db in try Self.insert(table: table, audit: audit, db: db, path: path) }
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(path: path, detail: "cannot commit route table version \(table.version): \(error)")
            }
        }
    }

    /// Records a refused change against the current version.
    @discardableResult
    public func recordRejected(audit: RouteAuditDraft) throws(StoreError) -> RouteAuditEntry {
        try record(audit, outcome: .rejected)
    }

    /// Records a change of routing the gateway made by itself (a budget rule), which makes no new version.
    @discardableResult
    public func recordRuleTransition(rule: String, fired: Bool, audit: RouteAuditDraft) throws(StoreError) -> RouteAuditEntry? {
        do {
            return try pool.write { db -> RouteAuditEntry? in
                let recorded = try Bool.fetchOne(db, sql: "SELECT fired FROM route_rule_state WHERE rule = ?", arguments: [rule])
                // A rule never recorded counts as cleared: its first clearing is not news, its first firing is.
                if recorded ?? false == fired { return nil }
                try db.execute(
                    sql: """
                        INSERT INTO route_rule_state (rule, fired) VALUES (?, ?)
                        ON CONFLICT(rule) DO UPDATE SET fired = excluded.fired
                        """, arguments: [rule, fired])
                let current = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM route_table_version") ?? 0
                return try Self.insertAudit(audit, from: current, to: nil, outcome: .automatic, db: db)
            }
        } catch {
            throw StoreError(path: path, detail: "cannot record budget rule '\(rule)': \(error)")
        }
    }

    private func record(_ audit: RouteAuditDraft, outcome: RouteAuditEntry.Outcome) throws(StoreError) -> RouteAuditEntry {
        do {
            return try pool.write { db in
                let current = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM route_table_version") ?? 0
                return try Self.insertAudit(audit, from: current, to: nil, outcome: outcome, db: db)
            }
        } catch {
            throw StoreError(path: path, detail: "cannot record a route audit entry: \(error)")
        }
    }

    /// The table to serve on start: the stored one, reconciled with the config
    /// file's (see the type's documentation). `configDigest` identifies the
    /// config's routing; the same digest as at the last start means the file is unchanged.
    public func seed(from configTable: RouteTable, configDigest: String, at now: Date) throws(StoreError) -> RouteTable {
        try seedIfEmpty(from: configTable, configDigest: configDigest, at: now)
    }

    public func seedIfEmpty(from configTable: RouteTable, configDigest: String, at now: Date = Date()) throws(StoreError) -> RouteTable {
        do {
            return try pool.write { db in
                let configJSON = try Self.encode(configTable)
                func rememberSeed() throws {
                    try db.execute(
                        sql: """
                            INSERT INTO route_config_seed (id, digest, table_json, at) VALUES (1, ?, ?, ?)
                            ON CONFLICT(id) DO UPDATE SET digest = excluded.digest, table_json = excluded.table_json, at = excluded.at
                            """, arguments: [configDigest, configJSON, now.timeIntervalSince1970])
                }
                let live = try Self.latest(db, path: path)
                let seed = try Row.fetchOne(db, sql: "SELECT digest, table_json FROM route_config_seed WHERE id = 1").map { row throws in
                    RouteSeeding.Seed(digest: row["digest"], table: try Self.decode(row["table_json"], path: path))
                }
                switch RouteSeeding.decide(live: live, seed: seed, configTable: configTable, configDigest: configDigest, at: now) {
                case .keep(let table):
                    if seed?.digest != configDigest { try rememberSeed() }
                    return table
                case .first(let table, let audit), .edit(let table, let audit):
                    try Self.insert(table: table, audit: audit, db: db, path: path)
                    try rememberSeed()
                    return table
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, detail: "cannot seed the route table from the config: \(error)")
        }
    }

    // MARK: - Reading

    /// The newest committed table, or nil before the first seed.
    public func latest() throws(StoreError) -> RouteTable? {
        do {
            return try pool.read { db in try Self.latest(db, path: path) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, detail: "cannot read the route table: \(error)")
        }
    }

    /// The newest committed version, or nil before the first seed: a cheap
    /// look (one index lookup) for whether another process has committed.
    public func latestVersion() throws(StoreError) -> Int? {
        try tracked { () throws(StoreError) in
            do {
                return try pool.read { db in try Int.fetchOne(db, sql: "SELECT MAX(version) FROM route_table_version") }
            } catch {
                throw StoreError(path: path, detail: "cannot read the route table version: \(error)")
            }
        }
    }

    /// The table as committed at `version`.
    public func table(version: Int) throws(StoreError) -> RouteTable? {
        do {
            return try pool.read { db in
                try String.fetchOne(db, sql: "SELECT table_json FROM route_table_version WHERE version = ?", arguments: [version])
                    .map { json throws -> RouteTable in try Self.decode(json, path: path) }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, detail: "cannot read route table version \(version): \(error)")
        }
    }

    /// The newest `limit` audit entries, newest first.
    public func audit(limit: Int) throws(StoreError) -> [RouteAuditEntry] {
        try auditEntries(where: "", limit: limit)
    }

    /// The newest entry that committed a version (the one `undo` reverses).
    public func lastApplied() throws(StoreError) -> RouteAuditEntry? {
        try auditEntries(where: "WHERE outcome = 'applied'", limit: 1).first
    }

    private func auditEntries(where condition: String, limit: Int) throws(StoreError) -> [RouteAuditEntry] {
        do {
            return try pool.read { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, at, actor, action, summary, from_version, to_version, outcome, reason, rejection
                        FROM route_audit \(condition) ORDER BY id DESC LIMIT ?
                        """, arguments: [max(0, limit)])
                return try rows.map { row throws -> RouteAuditEntry in
                    guard let action = RouteAuditEntry.Action(rawValue: row["action"]),
                        let outcome = RouteAuditEntry.Outcome(rawValue: row["outcome"])
                    else {
                        throw StoreError(
                            path: path,
                            detail: "audit entry \(row["id"] ?? "?") has an unknown action or outcome "
                                + "(\(row["action"] ?? "?"), \(row["outcome"] ?? "?")); written by a newer qlp?")
                    }
                    return RouteAuditEntry(
                        id: row["id"], at: Date(timeIntervalSince1970: row["at"]), actor: row["actor"],
                        action: action, summary: row["summary"], fromVersion: row["from_version"],
                        toVersion: row["to_version"], outcome: outcome, reason: row["reason"],
                        rejection: row["rejection"])
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, detail: "cannot read the route audit log: \(error)")
        }
    }

    /// The journal mode and synchronous level a writer connection runs with ("wal", 2 = FULL), for tests.
    func durabilitySettings() throws -> (journalMode: String, synchronous: Int) {
        try pool.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "", try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
    }

    // MARK: - In a transaction

    private static func latest(_ db: Database, path: String) throws -> RouteTable? {
        try String.fetchOne(db, sql: "SELECT table_json FROM route_table_version ORDER BY version DESC LIMIT 1")
            .map { json throws -> RouteTable in try decode(json, path: path) }
    }

    @discardableResult
    private static func insert(table: RouteTable, audit: RouteAuditDraft, db: Database, path: String) throws -> RouteAuditEntry {
        let current = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM route_table_version") ?? 0
        // The versions in the log stay contiguous: a writer that lost a race fails here instead of leaving a gap.
        guard table.version == current + 1 else {
            throw StoreError(path: path, detail: "route table version \(table.version) does not follow the stored version \(current)")
        }
        try db.execute(
            sql: "INSERT INTO route_table_version (version, table_json, at) VALUES (?, ?, ?)",
            arguments: [table.version, try encode(table), audit.at.timeIntervalSince1970])
        return try insertAudit(audit, from: current, to: table.version, outcome: .applied, db: db)
    }

    private static func insertAudit(
        _ audit: RouteAuditDraft, from: Int, to: Int?, outcome: RouteAuditEntry.Outcome,
        db: Database
    ) throws -> RouteAuditEntry {
        try db.execute(
            sql: """
                INSERT INTO route_audit (at, actor, action, summary, from_version, to_version, outcome, reason, rejection)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                audit.at.timeIntervalSince1970, audit.actor, audit.action.rawValue, audit.summary, from, to,
                outcome.rawValue, audit.reason, audit.rejection,
            ])
        // The time as it reads back (seconds since 1970 as a double), so the entry returned equals the one stored.
        return RouteAuditEntry(
            id: Int(db.lastInsertedRowID), at: Date(timeIntervalSince1970: audit.at.timeIntervalSince1970), actor: audit.actor,
            action: audit.action,
            summary: audit.summary, fromVersion: from, toVersion: to, outcome: outcome,
            reason: audit.reason, rejection: audit.rejection)
    }

    private static func encode(_ table: RouteTable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(table), as: UTF8.self)
    }

    private static func decode(_ json: String, path: String) throws -> RouteTable {
        do {
            return try JSONDecoder().decode(RouteTable.self, from: Data(json.utf8))
        } catch {
            throw StoreError(path: path, detail: "a stored route table is unreadable: \(error)")
        }
    }
}
