import Crypto
import Foundation
import Logging
import QLPRouting
import QLPStore

extension RouteAuthority {
    /// The authority over the route database at `databasePath` (created on
    /// first use), with the live table the gateway serves from: the stored
    /// table reconciled with the config file's (``SQLiteRouteStore/seedIfEmpty(from:configDigest:at:)``).
    ///
    /// ```swift
    /// let authority = try RouteAuthority.open(databasePath: stateDirectory + "/routes.sqlite", configTable: table)
    /// let gateway = try Gateway(settings: settings.gateway, routes: authority.live, ...)
    /// // and AdminService(authority: authority, settings: settings.gateway) alongside the gateway
    /// ```
    public static func open(
        databasePath: String, configTable: RouteTable, logger: Logger = Logger(label: "qlp.routes"),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(StoreError) -> RouteAuthority {
        let store = try SQLiteRouteStore(path: databasePath)
        let table = try store.seedIfEmpty(from: configTable, configDigest: configDigest(of: configTable), at: clock())
        logger.info("route table loaded", metadata: ["version": "\(table.version)", "database": "\(databasePath)"])
        return RouteAuthority(store: store, live: LiveRouteTable(table), logger: logger, clock: clock)
    }

    /// The authority over `store` (SQLite or Redis), its table reconciled with the config file's
    /// (``RouteStore/seed(from:configDigest:at:)``).
    public static func open(
        store: any RouteStore, configTable: RouteTable, logger: Logger = Logger(label: "qlp.routes"),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws(StoreError) -> RouteAuthority {
        let table = try await store.seed(from: configTable, configDigest: configDigest(of: configTable), at: clock())
        logger.info("route table loaded", metadata: ["version": "\(table.version)", "store": "\(store.location)"])
        return RouteAuthority(store: store, live: LiveRouteTable(table), logger: logger, clock: clock)
    }

    /// SHA-256 (hex) of the config's table, version aside: equal digests mean the file's routing is unchanged.
    public static func configDigest(of table: RouteTable) -> String {
        var unversioned = table
        unversioned.version = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding a value of plain structs, strings and numbers cannot fail.
        let json = (try? encoder.encode(unversioned)) ?? Data()
        return SHA256.hash(data: json).map { String(format: "%02x", $0) }.joined()
    }
}
