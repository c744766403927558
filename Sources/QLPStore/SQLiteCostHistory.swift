import Foundation
import GRDB
import QLPCore

/// Cost history in SQLite (WAL), one file per state directory. Amounts are
/// stored as decimal text so they come back to the penny (and beyond).
public final class SQLiteCostHistory: CostHistory {
    public let path: String
    private let pool: DatabasePool

    public init(path: String) throws(StoreError) {
        self.path = path
        pool = try SQLiteFile.open(path, label: "qlp.store", migrator: Self.migrator, what: "the history database")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-cost-snapshots") { db in
            try db.create(table: "cost_snapshot") { t in
                t.primaryKey("scope", .text)
                t.column("first_day", .integer).notNull()
                t.column("last_day", .integer).notNull()
                t.column("fetched_at", .double).notNull()
            }
            try db.create(table: "daily_cost") { t in
                t.column("scope", .text).notNull().references("cost_snapshot", onDelete: .cascade)
                t.column("day", .integer).notNull()
                t.column("service", .text).notNull()
                t.column("amount", .text).notNull()
                t.column("currency", .text).notNull()
            }
            try db.create(index: "daily_cost_scope", on: "daily_cost", columns: ["scope", "day"])
        }
        return migrator
    }

    public func save(_ snapshot: CostSnapshot) throws(StoreError) {
        do {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM daily_cost WHERE scope = ?", arguments: [snapshot.scope])
                try db.execute(
                    sql: """
                        INSERT INTO cost_snapshot (scope, first_day, last_day, fetched_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(scope) DO UPDATE SET first_day = excluded.first_day, last_day = excluded.last_day,
                        fetched_at = excluded.fetched_at
                        """,
                    arguments: [
                        snapshot.scope, snapshot.range.first.yyyymmdd, snapshot.range.last.yyyymmdd,
                        snapshot.fetchedAt.timeIntervalSince1970,
                    ])
                let insert = try db.makeStatement(
                    sql: "INSERT INTO daily_cost (scope, day, service, amount, currency) VALUES (?, ?, ?, ?, ?)")
                for row in snapshot.costs {
                    try insert.execute(arguments: [
                        snapshot.scope, row.day.yyyymmdd, row.service,
                        NSDecimalNumber(decimal: row.amount).stringValue, row.currency.code,
                    ])
                }
            }
        } catch {
            throw StoreError(path: path, detail: "cannot save cost history: \(error)")
        }
    }

    public func latest(scope: String) throws(StoreError) -> CostSnapshot? {
        do {
            return try pool.read { db -> CostSnapshot? in
                guard
                    let head = try Row.fetchOne(
                        db, sql: "SELECT first_day, last_day, fetched_at FROM cost_snapshot WHERE scope = ?",
                        arguments: [scope]),
                    let first = CivilDate(yyyymmdd: head["first_day"]), let last = CivilDate(yyyymmdd: head["last_day"]),
                    let range = DayRange(first, last)
                else { return nil }
                var costs: [DailyCost] = []
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT day, service, amount, currency FROM daily_cost WHERE scope = ? ORDER BY day, service",
                    arguments: [scope])
                while let row = try rows.next() {
                    guard let day = CivilDate(yyyymmdd: row["day"]),
                        let amount = Decimal(string: row["amount"])
                    else {
                        throw StoreError(
                            path: self.path,
                            detail: "a stored cost row is corrupt (day \(row["day"] ?? "?"), service \(row["service"] ?? "?"))")
                    }
                    costs.append(DailyCost(day: day, service: row["service"], amount: amount, currency: Currency(code: row["currency"])))
                }
                return CostSnapshot(
                    scope: scope, range: range, costs: costs,
                    fetchedAt: Date(timeIntervalSince1970: head["fetched_at"]))
            }
        } catch {
            throw StoreError(path: path, detail: "cannot read cost history: \(error)")
        }
    }
}
