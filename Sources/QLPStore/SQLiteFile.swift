import GRDB

/// How every qlp database is opened: the file made 0600 before SQLite
/// touches it (so its -wal and -shm are 0600 too), WAL through a pool with a
/// 5 s busy timeout, then the store's migrations. One place, so the stores
/// cannot drift apart in how they open.
enum SQLiteFile {
    /// - Parameters:
    ///   - label: GRDB's label for the connections ("qlp.routes").
    ///   - durable: synchronous=FULL. GRDB's WAL default (NORMAL) may lose the
    ///     last commits on power loss; stores whose writes are acknowledged to
    ///     someone (a route change, a queued notification) need every commit on
    ///     disk. The pool has one writer connection, so this holds for every write.
    ///   - what: names the database in the error ("the route database").
    static func open(
        _ path: String, label: String, durable: Bool = false, migrator: DatabaseMigrator,
        what: String
    ) throws(StoreError) -> DatabasePool {
        do {
            try OwnerOnlyFiles.prepareDatabase(path)
            var configuration = Configuration()
            configuration.label = label
            configuration.busyMode = .timeout(5)
            let pool = try DatabasePool(path: path, configuration: configuration)
            if durable { try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") } }
            try migrator.migrate(pool)
            return pool
        } catch {
            throw StoreError(path: path, detail: "cannot open \(what): \(error)")
        }
    }
}
