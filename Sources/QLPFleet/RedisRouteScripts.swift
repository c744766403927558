import QLPRedis

/// The Lua scripts that make each write one atomic step in Redis: a script
/// runs alone, so the version check, the table, the audit entry and the
/// announcement cannot be separated by another replica's write or by a crash
/// of this one. Audit entries are built here from the caller's draft, with
/// the id and versions only the script can know.
enum RedisRouteScripts {
    /// KEYS: version, tables, audit, audit id, last applied.
    /// ARGV: the new version, its table JSON, the audit draft JSON, the channel, versions kept, audit entries kept.
    /// Returns {1, entry JSON}, or {0, stored version} when the new version does not follow it.
    static let commit = RedisScript(
        """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        local nextVersion = tonumber(ARGV[1])
        if nextVersion ~= current + 1 then return {0, current} end
        local entry = cjson.decode(ARGV[3])
        entry['id'] = redis.call('INCR', KEYS[4])
        entry['from_version'] = current
        entry['to_version'] = nextVersion
        entry['outcome'] = 'applied'
        local text = cjson.encode(entry)
        redis.call('SET', KEYS[1], nextVersion)
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        local kept = tonumber(ARGV[5])
        if nextVersion > kept then redis.call('HDEL', KEYS[2], tostring(nextVersion - kept)) end
        redis.call('RPUSH', KEYS[3], text)
        redis.call('LTRIM', KEYS[3], -tonumber(ARGV[6]), -1)
        redis.call('SET', KEYS[5], text)
        redis.call('PUBLISH', ARGV[4], ARGV[1])
        return {1, text}
        """)

    /// KEYS: version, audit, audit id. ARGV: the audit draft JSON, the outcome, audit entries kept.
    /// Returns the entry JSON.
    static let record = RedisScript(
        """
        local entry = cjson.decode(ARGV[1])
        entry['id'] = redis.call('INCR', KEYS[3])
        entry['from_version'] = tonumber(redis.call('GET', KEYS[1]) or '0')
        entry['to_version'] = cjson.null
        entry['outcome'] = ARGV[2]
        local text = cjson.encode(entry)
        redis.call('RPUSH', KEYS[2], text)
        redis.call('LTRIM', KEYS[2], -tonumber(ARGV[#ARGV]), -1)
        return text
        """)

    /// KEYS: version, audit, audit id, rule states. ARGV: the rule, "1" fired / "0" cleared, the audit draft JSON,
    /// audit entries kept.
    /// Returns the entry JSON, or nil when the rule was already recorded in that state (by another replica).
    static let ruleTransition = RedisScript(
        """
        local recorded = redis.call('HGET', KEYS[4], ARGV[1]) or '0'
        if recorded == ARGV[2] then return false end
        redis.call('HSET', KEYS[4], ARGV[1], ARGV[2])
        local entry = cjson.decode(ARGV[3])
        entry['id'] = redis.call('INCR', KEYS[3])
        entry['from_version'] = tonumber(redis.call('GET', KEYS[1]) or '0')
        entry['to_version'] = cjson.null
        entry['outcome'] = 'automatic'
        local text = cjson.encode(entry)
        redis.call('RPUSH', KEYS[2], text)
        redis.call('LTRIM', KEYS[2], -tonumber(ARGV[#ARGV]), -1)
        return text
        """)
}
