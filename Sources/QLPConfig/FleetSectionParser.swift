import QLPCore

/// The `fleet` section (see ``FleetSettings``). The URL's scheme is checked
/// here; the rest of it by the Redis client when the gateway starts, which
/// names `fleet.redis_url` in what it says.
enum FleetSectionParser {
    static let keys = ["redis_url", "redis_password", "redis_ca_file", "replica_name", "key_prefix"]

    static func parse(_ section: ConfigValue, _ r: ConfigReader) -> FleetSettings? {
        guard let map = r.mapping(section, allowed: keys) else { return nil }
        guard let urlValue = r.required(map, "redis_url"), let url = r.secret(urlValue) else { return nil }
        let text = url.reveal()
        guard text.hasPrefix("redis://") || text.hasPrefix("rediss://") else {
            r.fail(urlValue, "must start with redis:// or rediss:// (TLS), e.g. rediss://qlp-cache.redis.cache.windows.net:6380")
            return nil
        }
        var settings = FleetSettings(redisURL: url)
        if let value = r.optional(map, "redis_password"), let password = r.secretOrVaultReference(value) {
            settings.redisPassword = password.isEmpty ? nil : password
        }
        if let value = r.optional(map, "redis_ca_file"), let path = r.string(value) { settings.redisCAFile = path }
        if let value = r.optional(map, "replica_name"), let name = r.string(value) {
            if name.isEmpty || name.count > 63 || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
                r.fail(value, "must be 1 to 63 letters, digits, '-', '_' or '.', found '\(name.prefix(70))'")
            } else {
                settings.replicaName = name
            }
        }
        if let value = r.optional(map, "key_prefix"), let prefix = r.string(value) {
            if prefix.isEmpty || prefix.count > 64 || prefix.contains(where: { $0.isWhitespace }) {
                r.fail(value, "must be 1 to 64 characters without spaces, found '\(prefix.prefix(70))'")
            } else {
                settings.keyPrefix = prefix
            }
        }
        return settings
    }
}
