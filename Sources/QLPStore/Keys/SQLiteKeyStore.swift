import Foundation
import GRDB
import QLPCore

/// The virtual keys in SQLite (WAL, synchronous=FULL): `qlp keys` writes,
/// every gateway on the machine reads. Only each key's SHA-256 is kept.
///
/// `changeCount()` is a counter in a one-row `meta` table, bumped in the
/// same transaction as every write, so a gateway polling it sees a change
/// whichever process (or connection) made it. SQLite's `PRAGMA data_version`
/// would not do: it does not move for the connection's own commits.
///
/// Budgets are stored as the decimal's text, so 0.05 comes back as 0.05
/// (SQLite has no decimal type and a REAL would not be exact).
public final class SQLiteKeyStore: KeyStore, Sendable {
    public let path: String
    let writer: any DatabaseWriter

    public init(path: String) throws(StoreError) {
        self.path = path
        writer = try SQLiteFile.open(path, label: "qlp.keys", durable: true, migrator: Self.migrator, what: "the key store")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-keys") { db in
            try db.create(table: "virtual_key") { t in
                t.primaryKey("name", .text)
                t.column("digest", .text).notNull().unique()
                t.column("created_at", .double).notNull()
                t.column("expires_at", .double)
                t.column("revoked_at", .double)
                t.column("rpm", .integer)
                t.column("tpm", .integer)
                t.column("budget_amount", .text)
                t.column("budget_period", .text)
                t.column("routes", .text)
            }
            try db.create(table: "meta") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("change_count", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO meta (id, change_count) VALUES (1, 0)")
        }
        return migrator
    }

    public func create(_ key: VirtualKey) throws(KeyStoreError) {
        let routes = try routesText(key.limits.routes)
        try write("cannot add the key '\(key.name)'") { db in
            guard try Self.row(named: key.name, db) == nil else { throw KeyStoreError.duplicateName(key.name) }
            try db.execute(
                sql: """
                    INSERT INTO virtual_key (name, digest, created_at, expires_at, revoked_at, rpm, tpm, budget_amount, budget_period, routes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.name, key.digest.lowercased(), key.createdAt.timeIntervalSince1970,
                    key.expiresAt?.timeIntervalSince1970, key.revokedAt?.timeIntervalSince1970,
                    key.limits.requestsPerMinute, key.limits.tokensPerMinute,
                    key.limits.budget.map { Self.amountText($0.amount) }, key.limits.budget?.period.rawValue, routes,
                ])
        }
    }

    public func keys() throws(KeyStoreError) -> [VirtualKey] {
        let rows = try read("cannot read the keys") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM virtual_key ORDER BY name")
        }
        var out: [VirtualKey] = []
        for row in rows { out.append(try key(from: row)) }
        return out
    }

    public func key(named name: String) throws(KeyStoreError) -> VirtualKey? {
        let row = try read("cannot read the key '\(name)'") { db in try Self.row(named: name, db) }
        return try row.map { (row: Row) throws(KeyStoreError) in try key(from: row) }
    }

    /// Throws `.unknownKey`, or `.alreadyRevoked` when it was.
    public func revoke(named name: String, at: Date) throws(KeyStoreError) -> VirtualKey {
        let row = try write("cannot revoke the key '\(name)'") { db in
            guard let row = try Self.row(named: name, db) else { throw KeyStoreError.unknownKey(name) }
            guard row["revoked_at"] as Double? == nil else { throw KeyStoreError.alreadyRevoked(name) }
            try db.execute(sql: "UPDATE virtual_key SET revoked_at = ? WHERE name = ?", arguments: [at.timeIntervalSince1970, name])
            return try Self.row(named: name, db)!
        }
        return try key(from: row)
    }

    /// Throws `.unknownKey`, or `.alreadyRevoked` for a revoked key: revoking
    /// is for good, and a new key under the old name would undo it silently.
    public func rotate(named name: String, digest: String, at: Date) throws(KeyStoreError) -> VirtualKey {
        let row = try write("cannot rotate the key '\(name)'") { db in
            guard let row = try Self.row(named: name, db) else { throw KeyStoreError.unknownKey(name) }
            guard row["revoked_at"] as Double? == nil else { throw KeyStoreError.alreadyRevoked(name) }
            try db.execute(sql: "UPDATE virtual_key SET digest = ? WHERE name = ?", arguments: [digest.lowercased(), name])
            return try Self.row(named: name, db)!
        }
        return try key(from: row)
    }

    public func changeCount() throws(KeyStoreError) -> Int {
        try read("cannot read the key store's change count") { db in
            try Int.fetchOne(db, sql: "SELECT change_count FROM meta WHERE id = 1") ?? 0
        }
    }

    // MARK: - Rows

    private static func row(named name: String, _ db: Database) throws -> Row? {
        try Row.fetchOne(db, sql: "SELECT * FROM virtual_key WHERE name = ?", arguments: [name])
    }

    /// A row as a key. A value this version cannot read (a budget period a
    /// later version added, say) is an error naming the key and the column,
    /// not a key quietly dropped or read without its limit.
    private func key(from row: Row) throws(KeyStoreError) -> VirtualKey {
        let name: String = row["name"]
        func unreadable(_ column: String, _ value: String) -> KeyStoreError {
            .store(StoreError(path: path, detail: "the key '\(name)' has \(column) '\(value)', which this version of qlp cannot read"))
        }
        var budget: KeyBudget?
        if let amountText: String = row["budget_amount"] {
            guard let amount = Money.parseAmount(amountText) else { throw unreadable("budget_amount", amountText) }
            let periodText: String = row["budget_period"] ?? KeyBudget.Period.month.rawValue
            guard let period = KeyBudget.Period(rawValue: periodText) else { throw unreadable("budget_period", periodText) }
            budget = KeyBudget(amount: amount, period: period)
        }
        var routes: [String]?
        if let routesText: String = row["routes"] {
            guard let list = try? JSONDecoder().decode([String].self, from: Data(routesText.utf8)) else {
                throw unreadable("routes", routesText)
            }
            routes = list
        }
        let expires: Double? = row["expires_at"]
        let revoked: Double? = row["revoked_at"]
        return VirtualKey(
            name: name, digest: row["digest"], origin: .store, createdAt: Date(timeIntervalSince1970: row["created_at"]),
            expiresAt: expires.map(Date.init(timeIntervalSince1970:)),
            revokedAt: revoked.map(Date.init(timeIntervalSince1970:)),
            limits: KeyLimits(requestsPerMinute: row["rpm"], tokensPerMinute: row["tpm"], budget: budget, routes: routes))
    }

    /// The exact decimal, in the plain form `Money.parseAmount` reads back.
    static func amountText(_ amount: Decimal) -> String {
        amount.description
    }

    private func routesText(_ routes: [String]?) throws(KeyStoreError) -> String? {
        guard let routes else { return nil }
        do {
            return String(decoding: try JSONEncoder().encode(routes), as: UTF8.self)
        } catch {
            throw .store(StoreError(path: path, detail: "cannot write the routes \(routes) as JSON: \(error)"))
        }
    }

    // MARK: - Transactions

    /// One write transaction that also bumps the change count, so no change
    /// can be committed without the count moving. The store's own errors
    /// thrown inside pass through; anything else is a store error saying `what` failed.
    private func write<T>(_ what: String, _ body: (Database) throws -> T) throws(KeyStoreError) -> T {
        do {
            return try writer.write { db in
                let value = try body(db)
                try db.execute(sql: "UPDATE meta SET change_count = change_count + 1 WHERE id = 1")
                return value
            }
        } catch let error as KeyStoreError {
            throw error
        } catch {
            throw .store(StoreError(path: path, detail: "\(what): \(error)"))
        }
    }

    private func read<T>(_ what: String, _ body: (Database) throws -> T) throws(KeyStoreError) -> T {
        do {
            return try writer.read(body)
        } catch {
            throw .store(StoreError(path: path, detail: "\(what): \(error)"))
        }
    }
}
