import QLPCore
import Testing

@testable import QLPRedis

@Suite struct RedisURLTests {
    @Test func plainHostTakesDefaults() throws {
        let url = try RedisURL(parsing: "redis://cache.internal")
        #expect(url == RedisURL(host: "cache.internal", port: 6379, database: 0, tls: false))
        #expect(url.address == "cache.internal:6379")
        #expect(url.description == "redis://cache.internal:6379/0")
    }

    @Test func azureFormWithAccessKey() throws {
        let url = try RedisURL(parsing: "rediss://:s3cr%2Ft%40key@qlp.redis.cache.windows.net:6380/2")
        #expect(url.tls)
        #expect(url.port == 6380)
        #expect(url.database == 2)
        #expect(url.username == nil)
        #expect(url.password?.reveal() == "s3cr/t@key")
        #expect(url.address == "qlp.redis.cache.windows.net:6380 (TLS)")
        #expect(url.description == "rediss://:***@qlp.redis.cache.windows.net:6380/2")
    }

    @Test func userAndPasswordArePercentDecoded() throws {
        let url = try RedisURL(parsing: "redis://gate%20way:p%3Ass@127.0.0.1:7000/")
        #expect(url.username == "gate way")
        #expect(url.password?.reveal() == "p:ss")
        #expect(url.database == 0)
        #expect(url.description == "redis://gate%20way:***@127.0.0.1:7000/0")
        #expect(try RedisURL(parsing: url.description).username == "gate way")
    }

    @Test func ipv6InBrackets() throws {
        let url = try RedisURL(parsing: "REDIS://[::1]:6390/1")
        #expect(url.host == "::1")
        #expect(url.port == 6390)
        #expect(url.address == "[::1]:6390")
        #expect(try RedisURL(parsing: "redis://[::1]").port == 6379)
    }

    @Test(arguments: [
        ("http://host", "scheme 'http'"),
        ("host:6379", "must start with redis://"),
        ("redis://", "host is missing"),
        ("redis://:pw@:6379", "host is missing"),
        ("redis://host:0", "port must be a number from 1 to 65535 (got '0')"),
        ("redis://host:70000", "(got '70000')"),
        ("redis://host:abc", "(got 'abc')"),
        ("redis://host/x", "database after '/' must be a number"),
        ("redis://host/-1", "(got '-1')"),
        ("redis://[::1:6379", "no closing ']'"),
        ("redis://host?timeout=1", "query strings"),
        ("redis://user@host", "user 'user' has no password"),
    ])
    func badFormsSayWhatIsWrong(text: String, expected: String) {
        #expect {
            _ = try RedisURL(parsing: text)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test(arguments: [
        "redis://:hunter2%zz@host",
        "redis://u:hunter2@host:99999",
        "redis://u:hunter2@host/db",
        "redis://u:hunter2@host?x",
        "rediss://:hunter2@[::1",
    ])
    func errorsNeverShowThePassword(text: String) {
        do {
            _ = try RedisURL(parsing: text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
    }

    @Test func passwordNeverPrinted() throws {
        let url = try RedisURL(parsing: "redis://admin:hunter2@host")
        #expect(url.password == Secret("hunter2"))
        #expect(!url.description.contains("hunter2"))
        #expect(!"\(url)".contains("hunter2"))
        #expect(!String(reflecting: url).contains("hunter2"))
        #expect(url.description == "redis://admin:***@host:6379/0")
    }
}
