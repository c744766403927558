/// The Redis keys and channel one fleet's route table lives under, all
/// behind `fleet.key_prefix` so that fleets can share a Redis.
struct RedisRouteKeys: Sendable {
    let prefix: String

    /// The version in force (a number).
    var version: String { prefix + "routes:version" }
    /// version -> the table's JSON, for every version kept.
    var tables: String { prefix + "routes:tables" }
    /// The audit log, oldest first: one JSON entry per element.
    var audit: String { prefix + "routes:audit" }
    /// The last audit id handed out.
    var auditID: String { prefix + "routes:audit:id" }
    /// The newest entry that committed a version (what undo reverses).
    var lastApplied: String { prefix + "routes:last-applied" }
    /// The config file's routing as last seeded: fields digest and table.
    var seed: String { prefix + "routes:seed" }
    /// budget rule name -> "1" fired / "0" cleared, as last recorded by any replica.
    var ruleStates: String { prefix + "routes:rule-state" }
    /// Where a commit announces its version.
    var changed: String { prefix + "routes:changed" }
}
