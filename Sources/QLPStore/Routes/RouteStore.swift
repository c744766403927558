import Foundation
import QLPRouting

/// Where the route table, its versions and its audit log live: SQLite for
/// one machine (``SQLiteRouteStore``), Redis for a fleet of gateway replicas
/// (`RedisRouteStore` in QLPFleet). The route authority is written against
/// this, so both give the same guarantees: a version is committed with its
/// audit entry in one atomic step, versions follow each other without a gap,
/// and a commit that does not follow the stored version fails instead of
/// overwriting it.
public protocol RouteStore: Sendable {
    /// What error messages and the admin API name: "the route database /var/lib/qlp/routes.sqlite",
    /// "Redis at 10.0.0.4:6380 (TLS)".
    var location: String { get }

    /// The table to serve on start: the stored one reconciled with the config
    /// file's (see ``SQLiteRouteStore/seedIfEmpty(from:configDigest:at:)``).
    func seed(from configTable: RouteTable, configDigest: String, at now: Date) async throws(StoreError) -> RouteTable

    /// Stores `table` (whose version must be the stored one + 1) with its audit entry, atomically and durably.
    @discardableResult
    func commit(table: RouteTable, audit: RouteAuditDraft) async throws(StoreError) -> RouteAuditEntry

    /// Records a refused change against the current version.
    @discardableResult
    func recordRejected(audit: RouteAuditDraft) async throws(StoreError) -> RouteAuditEntry

    /// Records that a budget rule fired (or cleared), once however many
    /// processes see it: nil when the rule was already recorded in that state
    /// (another replica got there first), so the fleet's audit log has one
    /// entry per transition.
    @discardableResult
    func recordRuleTransition(rule: String, fired: Bool, audit: RouteAuditDraft) async throws(StoreError) -> RouteAuditEntry?

    /// The newest committed table, or nil before the first seed.
    func latest() async throws(StoreError) -> RouteTable?
    /// The newest committed version: a cheap look for whether someone else has committed.
    func latestVersion() async throws(StoreError) -> Int?
    func table(version: Int) async throws(StoreError) -> RouteTable?
    /// The newest `limit` audit entries, newest first.
    func audit(limit: Int) async throws(StoreError) -> [RouteAuditEntry]
    /// The newest entry that committed a version (the one an undo reverses).
    func lastApplied() async throws(StoreError) -> RouteAuditEntry?

    /// Versions other processes announce as they commit, for a store that can
    /// tell (Redis pub/sub); nil where the only way to know is to look.
    /// A value of nil in the stream means "look now": the announcements may
    /// have been missed (a reconnect).
    func announcements() -> AsyncStream<Int?>?

    /// How often a process looks for versions others committed (``latestVersion()``): a change made
    /// elsewhere, or the store answering again, is taken up within this even when no announcement comes.
    var lookInterval: Duration { get }

    /// Whether the store answered the last time it was asked, for readiness and the dashboard.
    var status: RouteStoreStatus { get }
}
