import QLPConfig
import QLPCore
import Testing

/// Issue 11: the `fleet` section puts the route table on Redis; without it a
/// gateway keeps its own in SQLite.
@Suite("Config: fleet")
struct FleetConfigTests {
    func parse(_ lines: String, environment: [String: String] = [:]) throws(ConfigErrors) -> QLPConfiguration {
        try ConfigParser(environment: environment, requireAzure: false)
            .parse(yaml: ConfigFixture.budget + "fleet:\n" + lines, file: "fleet.yaml")
    }

    @Test func noSectionMeansNoFleet() throws {
        let config = try ConfigParser(environment: [:], requireAzure: false).parse(yaml: ConfigFixture.budget, file: "one.yaml")
        #expect(config.fleet == nil)
    }

    @Test func everyKeyIsRead() throws {
        let fleet = try #require(
            try parse(
                """
                  redis_url: "rediss://:${REDIS_PASSWORD}@qlp-cache.redis.cache.windows.net:6380/2"
                  redis_password: "${REDIS_PASSWORD}"
                  redis_ca_file: /etc/qlp/ca.pem
                  replica_name: gw-7c9d
                  key_prefix: "prod:"

                """, environment: ["REDIS_PASSWORD": "s3cret-pw"]
            ).fleet)
        #expect(fleet.redisURL.reveal() == "rediss://:s3cret-pw@qlp-cache.redis.cache.windows.net:6380/2")
        #expect(fleet.redisPassword?.reveal() == "s3cret-pw")
        #expect(fleet.redisCAFile == "/etc/qlp/ca.pem")
        #expect(fleet.replicaName == "gw-7c9d")
        #expect(fleet.keyPrefix == "prod:")
        // A Secret never shows its value.
        #expect(!"\(fleet)".contains("s3cret-pw"))
    }

    @Test func defaults() throws {
        let fleet = try #require(try parse("  redis_url: redis://127.0.0.1:6379\n").fleet)
        #expect(fleet.keyPrefix == "qlp:" && fleet.replicaName == nil && fleet.redisPassword == nil)
    }

    @Test(arguments: [
        ("  redis_url: http://127.0.0.1:6379\n", "fleet.redis_url"),
        ("  replica_name: gw-1\n", "fleet.redis_url"),
        ("  redis_url: redis://h\n  replica_name: \"has space\"\n", "fleet.replica_name"),
        ("  redis_url: redis://h\n  key_prefix: \"\"\n", "fleet.key_prefix"),
        ("  redis_url: redis://h\n  redis_pasword: x\n", "fleet.redis_pasword"),
    ])
    func aBadValueIsNamed(lines: String, key: String) throws {
        do {
            _ = try parse(lines)
            Issue.record("accepted:\n\(lines)")
        } catch {
            #expect(error.errors.contains { $0.key == key }, "\(error.description)")
        }
    }
}
