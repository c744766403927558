import Foundation
import GRDB
import QLPRouting

/// A replica's own copy of the last route table it read from a shared store
/// (Redis), in SQLite on its disk, so that a replica starting while Redis is
/// down serves the table the fleet last had rather than the config file's.
/// It is a cache: the shared store stays the authority, and the copy is only
/// ever replaced by a newer version.
public final class LocalRouteCopy: Sendable {
    public let path: String
    private let pool: DatabasePool

    public init(path: String) throws(StoreError) {
        self.path = path
        pool = try SQLiteFile.open(path, label: "qlp.route-copy", migrator: Self.migrator, what: "the local copy of the route table")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-route-copy") { db in
            try db.create(table: "route_copy") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("version", .integer).notNull()
                t.column("table_json", .text).notNull()
                t.column("at", .double).notNull()
            }
        }
        return migrator
    }

    /// Keeps `table` if it is newer than the copy held.
    public func keep(_ table: RouteTable, at now: Date = Date()) throws(StoreError) {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let json = String(decoding: try encoder.encode(table), as: UTF8.self)
            try pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO route_copy (id, version, table_json, at) VALUES (1, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET version = excluded.version, table_json = excluded.table_json, at = excluded.at
                        WHERE excluded.version > route_copy.version
                        """, arguments: [table.version, json, now.timeIntervalSince1970])
            }
        } catch {
            throw StoreError(path: path, detail: "cannot keep route table version \(table.version): \(error)")
        }
    }

    /// The table last kept, or nil if none ever was.
    public func table() throws(StoreError) -> RouteTable? {
        do {
            return try pool.read { db in
                try String.fetchOne(db, sql: "SELECT table_json FROM route_copy WHERE id = 1").map { json in
                    try JSONDecoder().decode(RouteTable.self, from: Data(json.utf8))
                }
            }
        } catch {
            throw StoreError(path: path, detail: "cannot read the local copy of the route table: \(error)")
        }
    }
}
