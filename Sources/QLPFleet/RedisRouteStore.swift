import Foundation
import Logging
import QLPRedis
import QLPRouting
import QLPStore
import Synchronization

/// The route table of a fleet of gateway replicas, in Redis: the version in
/// force, every kept version's table, the audit log, and an announcement on
/// a pub/sub channel at every commit. Each write is one Lua script (see
/// ``RedisRouteScripts``), so the version check, the table and its audit
/// entry are one atomic step, versions follow each other without a gap, and
/// a commit made against an old version fails as it does in SQLite.
///
/// Durability is Redis's: with `appendonly yes` and `appendfsync everysec` a
/// crash of Redis itself can lose the last second of changes (`always`
/// loses none, at a disk write per change). See docs/fleet.md.
///
/// Every table read or committed is also kept in a ``LocalRouteCopy`` on this
/// replica's disk, for a start while Redis is down.
public final class RedisRouteStore: RouteStore {
    public let client: RedisClient
    public let localCopy: LocalRouteCopy
    private let keys: RedisRouteKeys
    private let tls: RedisTLSSettings
    private let logger: Logger
    private let state: Mutex<RouteStoreStatus>
    /// Table versions kept in Redis (an undo needs the one before the last); older ones are dropped.
    static let versionsKept = 1000
    /// Audit entries kept in Redis; older ones are dropped.
    static let auditKept = 100_000

    public init(
        url: RedisURL, keyPrefix: String, localCopy: LocalRouteCopy, tls: RedisTLSSettings = RedisTLSSettings(),
        commandTimeout: Duration = .seconds(2), logger: Logger = Logger(label: "qlp.fleet")
    ) {
        client = RedisClient(url: url, connectTimeout: commandTimeout, commandTimeout: commandTimeout, tls: tls, logger: logger)
        self.localCopy = localCopy
        keys = RedisRouteKeys(prefix: keyPrefix)
        self.tls = tls
        self.logger = logger
        state = Mutex(RouteStoreStatus(kind: .redis, address: url.address, healthy: true))
    }

    public var location: String { "Redis at \(client.url.address)" }

    public var status: RouteStoreStatus { state.withLock { $0 } }

    /// One GET per replica a second: a missed announcement, or Redis coming back, is taken up within it.
    public var lookInterval: Duration { .seconds(1) }

    /// Says how this replica started when Redis was not there (shown until Redis answers).
    public func startedWithoutRedis(_ detail: String) {
        state.withLock {
            $0.healthy = false
            $0.detail = detail
        }
    }

    // MARK: - Writing

    public func commit(table: RouteTable, audit: RouteAuditDraft) async throws(StoreError) -> RouteAuditEntry {
        let json = try encode(table)
        let reply = try await run(
            RedisRouteScripts.commit, "commit route table version \(table.version)",
            keys: [keys.version, keys.tables, keys.audit, keys.auditID, keys.lastApplied],
            arguments: [
                String(table.version), json, RedisAuditRecord(draft: audit).json, keys.changed,
                String(Self.versionsKept), String(Self.auditKept),
            ])
        guard let parts = reply.array, parts.count == 2, let committed = parts[0].int else {
            throw unexpected(reply, doing: "commit route table version \(table.version)")
        }
        guard committed == 1, let text = parts[1].string else {
            // The same words as SQLite's refusal: the authority catches up and tries again.
            throw StoreError(
                path: location,
                detail: "route table version \(table.version) does not follow the stored version "
                    + "\(parts[1].int.map(String.init) ?? "?")")
        }
        keepLocally(table)
        return try RedisAuditRecord.entry(from: text, location: location)
    }

    public func recordRejected(audit: RouteAuditDraft) async throws(StoreError) -> RouteAuditEntry {
        let reply = try await run(
            RedisRouteScripts.record, "record a refused route change",
            keys: [keys.version, keys.audit, keys.auditID],
            arguments: [
                RedisAuditRecord(draft: audit).json, RouteAuditEntry.Outcome.rejected.rawValue,
                String(Self.auditKept),
            ])
        guard let text = reply.string else { throw unexpected(reply, doing: "record a refused route change") }
        return try RedisAuditRecord.entry(from: text, location: location)
    }

    public func recordRuleTransition(rule: String, fired: Bool, audit: RouteAuditDraft) async throws(StoreError) -> RouteAuditEntry? {
        let reply = try await run(
            RedisRouteScripts.ruleTransition, "record budget rule '\(rule)'",
            keys: [keys.version, keys.audit, keys.auditID, keys.ruleStates],
            arguments: [rule, fired ? "1" : "0", RedisAuditRecord(draft: audit).json, String(Self.auditKept)])
        if case .bulkString(nil) = reply { return nil }
        guard let text = reply.string else { throw unexpected(reply, doing: "record budget rule '\(rule)'") }
        return try RedisAuditRecord.entry(from: text, location: location)
    }

    public func seed(from configTable: RouteTable, configDigest: String, at now: Date) async throws(StoreError) -> RouteTable {
        let configJSON = try encode(configTable)
        // Replicas starting together race to seed or to merge an edit: the loser's commit fails as
        // stale, and it decides again on what the winner stored.
        for _ in 0..<5 {
            // The seed before the table: a replica that merges an edit commits the table first and the
            // seed after, so a new seed read here means the table read next already holds the edit.
            let seed = try await storedSeed()
            let live = try await latest()
            let decision = RouteSeeding.decide(live: live, seed: seed, configTable: configTable, configDigest: configDigest, at: now)
            switch decision {
            case .keep(let table):
                if seed?.digest != configDigest { try await rememberSeed(configDigest, configJSON) }
                keepLocally(table)
                return table
            case .first(let table, let audit), .edit(let table, let audit):
                do {
                    _ = try await commit(table: table, audit: audit)
                } catch  where error.detail.contains("does not follow the stored version") {
                    continue
                }
                try await rememberSeed(configDigest, configJSON)
                return table
            }
        }
        throw StoreError(path: location, detail: "other replicas kept changing the route table while this one started; start it again")
    }

    private func storedSeed() async throws(StoreError) -> RouteSeeding.Seed? {
        let reply = try await send(["HMGET", keys.seed, "digest", "table"], doing: "read the config seed")
        guard let fields = reply.array, fields.count == 2, let digest = fields[0].string, let json = fields[1].string else { return nil }
        return RouteSeeding.Seed(digest: digest, table: try decode(json))
    }

    private func rememberSeed(_ digest: String, _ json: String) async throws(StoreError) {
        _ = try await send(["HSET", keys.seed, "digest", digest, "table", json], doing: "remember the config seed")
    }

    // MARK: - Reading

    public func latest() async throws(StoreError) -> RouteTable? {
        guard let version = try await latestVersion() else { return nil }
        guard let table = try await table(version: version) else {
            throw StoreError(
                path: location, detail: "route table version \(version) is announced but not stored (was \(keys.tables) deleted?)")
        }
        keepLocally(table)
        return table
    }

    public func latestVersion() async throws(StoreError) -> Int? {
        let reply = try await send(["GET", keys.version], doing: "read the route table version")
        if case .bulkString(nil) = reply { return nil }
        guard let text = reply.string, let version = Int(text) else { throw unexpected(reply, doing: "read the route table version") }
        return version
    }

    public func table(version: Int) async throws(StoreError) -> RouteTable? {
        let reply = try await send(["HGET", keys.tables, String(version)], doing: "read route table version \(version)")
        guard let json = reply.string else { return nil }
        return try decode(json)
    }

    public func audit(limit: Int) async throws(StoreError) -> [RouteAuditEntry] {
        guard limit > 0 else { return [] }
        let reply = try await send(["LRANGE", keys.audit, String(-limit), "-1"], doing: "read the route audit log")
        guard let items = reply.array else { throw unexpected(reply, doing: "read the route audit log") }
        var entries: [RouteAuditEntry] = []
        for item in items.reversed() {
            guard let text = item.string else { throw unexpected(item, doing: "read the route audit log") }
            entries.append(try RedisAuditRecord.entry(from: text, location: location))
        }
        return entries
    }

    public func lastApplied() async throws(StoreError) -> RouteAuditEntry? {
        let reply = try await send(["GET", keys.lastApplied], doing: "read the last applied route change")
        guard let text = reply.string else { return nil }
        return try RedisAuditRecord.entry(from: text, location: location)
    }

    // MARK: - Announcements

    public func announcements() -> AsyncStream<Int?>? {
        let subscription = RedisSubscription(url: client.url, channels: [keys.changed], tls: tls, logger: logger)
        let events = subscription.events()
        let (stream, continuation) = AsyncStream<Int?>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let task = Task {
            for await event in events {
                switch event {
                case .message(_, let payload): continuation.yield(Int(payload))
                // (Re)subscribed: whatever was announced while not listening is read now.
                case .subscribed: continuation.yield(nil)
                case .disconnected: break
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in
            task.cancel()
            Task { await subscription.stop() }
        }
        return stream
    }

    // MARK: - Redis

    private func send(_ arguments: [String], doing what: String) async throws(StoreError) -> RESPValue {
        do {
            let reply = try await client.send(arguments)
            answered()
            return reply
        } catch {
            throw failed(error, doing: what)
        }
    }

    private func run(_ script: RedisScript, _ what: String, keys: [String], arguments: [String]) async throws(StoreError) -> RESPValue {
        do {
            let reply = try await client.run(script, keys: keys, arguments: arguments)
            answered()
            return reply
        } catch {
            throw failed(error, doing: what)
        }
    }

    private func answered() {
        let recovered = state.withLock { status -> Bool in
            defer {
                status.healthy = true
                status.detail = nil
            }
            return !status.healthy
        }
        if recovered { logger.notice("Redis answers again", metadata: ["redis": "\(client.url.address)"]) }
    }

    private func failed(_ error: RedisError, doing what: String) -> StoreError {
        let detail = "cannot \(what): \(error.detailWithoutAddress)"
        state.withLock {
            $0.healthy = false
            $0.detail = detail
        }
        return StoreError(path: location, detail: detail)
    }

    private func unexpected(_ reply: RESPValue, doing what: String) -> StoreError {
        StoreError(path: location, detail: "cannot \(what): unexpected reply \(String(describing: reply).prefix(120))")
    }

    private func keepLocally(_ table: RouteTable) {
        do {
            try localCopy.keep(table)
        } catch {
            logger.warning("cannot keep the local copy of the route table", metadata: ["error": "\(error)"])
        }
    }

    private func encode(_ table: RouteTable) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(table), as: UTF8.self)
        } catch {
            throw StoreError(path: location, detail: "cannot encode route table version \(table.version): \(error)")
        }
    }

    private func decode(_ json: String) throws(StoreError) -> RouteTable {
        do {
            return try JSONDecoder().decode(RouteTable.self, from: Data(json.utf8))
        } catch {
            throw StoreError(path: location, detail: "a stored route table is unreadable: \(error)")
        }
    }
}

extension RedisError {
    /// What went wrong, without the address (the store's messages name it once, first).
    var detailWithoutAddress: String {
        switch self {
        case .unreachable(_, let detail): "unreachable: \(detail)"
        case .connectionLost(_, let detail): "connection lost: \(detail)"
        case .timeout(_, let command): "no answer to \(command) in time"
        case .server(_, let message): message
        case .protocolViolation(_, let detail): "unexpected bytes from Redis: \(detail)"
        }
    }
}
