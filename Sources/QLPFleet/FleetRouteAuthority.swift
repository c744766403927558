import Foundation
import Logging
import QLPCore
import QLPGateway
import QLPRedis
import QLPRouting
import QLPStore

/// Opens the route authority of a replica in a fleet: on Redis, reconciled
/// with the config file as a single gateway's is; or, when Redis does not
/// answer at start, on the replica's local copy of the last table it read
/// (or the config file's, when it never read one), serving that and saying
/// so until Redis is back, when the store's watch takes up Redis's version.
public enum FleetRouteAuthority {
    public struct OpenError: Error, CustomStringConvertible {
        public var description: String
    }

    /// - Parameter localCopyPath: where this replica keeps its copy of the table (state_directory/fleet-routes.sqlite).
    public static func open(
        settings: FleetSettings, localCopyPath: String, configTable: RouteTable,
        logger: Logger = Logger(label: "qlp.fleet")
    ) async throws(OpenError) -> (RouteAuthority, RedisRouteStore) {
        var url: RedisURL
        do {
            url = try RedisURL(parsing: settings.redisURL.reveal())
        } catch {
            throw OpenError(description: "fleet.redis_url: \(error.description)")
        }
        if let password = settings.redisPassword { url.password = password }
        let copy: LocalRouteCopy
        do {
            copy = try LocalRouteCopy(path: localCopyPath)
        } catch {
            throw OpenError(description: error.description)
        }
        let store = RedisRouteStore(
            url: url, keyPrefix: settings.keyPrefix, localCopy: copy,
            tls: RedisTLSSettings(caFile: settings.redisCAFile), logger: logger)
        do {
            let authority = try await RouteAuthority.open(store: store, configTable: configTable, logger: logger)
            return (authority, store)
        } catch {
            let kept: RouteTable?
            do {
                kept = try copy.table()
            } catch {
                throw OpenError(description: "\(store.location) does not answer, and \(error.description)")
            }
            var table = kept ?? configTable
            if kept == nil { table.version = 0 }
            let detail =
                kept != nil
                ? "started from the local copy of route table version \(table.version): \(error.detail)"
                : "started from the config file's routing (no local copy yet): \(error.detail)"
            logger.error(
                "Redis does not answer; serving without it until it does",
                metadata: ["redis": "\(url.address)", "detail": "\(detail)"])
            store.startedWithoutRedis(detail)
            return (RouteAuthority(store: store, live: LiveRouteTable(table), logger: logger), store)
        }
    }
}
