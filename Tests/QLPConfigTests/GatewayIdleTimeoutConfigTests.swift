import QLPConfig
import QLPCore
import Testing

/// Issue 14, finding 2: gateway.idle_timeout, how long both listeners keep a
/// connection with no request in progress.
@Suite("Config: gateway.idle_timeout")
struct GatewayIdleTimeoutConfigTests {
    func parse(_ value: String) throws(ConfigErrors) -> QLPConfiguration {
        try ConfigParser(environment: [:], requireAzure: false)
            .parse(yaml: ConfigFixture.budget + "gateway:\n  idle_timeout: \(value)\n", file: "gw.yaml")
    }

    @Test func finding02_idleTimeoutIsReadWithASensibleDefault() throws {
        #expect(GatewaySettings().idleTimeout == .seconds(30))
        #expect(try parse("5s").gateway.idleTimeout == .seconds(5))
    }

    @Test(arguments: ["0s", "500ms", "2h", "soon"])
    func finding02_anUnusableIdleTimeoutIsNamed(value: String) throws {
        do {
            _ = try parse(value)
            Issue.record("idle_timeout: \(value) was accepted")
        } catch {
            #expect(error.errors.contains { $0.key == "gateway.idle_timeout" }, "\(error.description)")
        }
    }
}
