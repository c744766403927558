import QLPConfig
import QLPCore
import Testing

/// Issue 16, item 5: gateway.drain_timeout, how long a stopping gateway lets
/// requests and streams in flight finish.
@Suite("Config: gateway.drain_timeout")
struct GatewayDrainTimeoutConfigTests {
    func parse(_ value: String) throws(ConfigErrors) -> QLPConfiguration {
        try ConfigParser(environment: [:], requireAzure: false)
            .parse(yaml: ConfigFixture.budget + "gateway:\n  drain_timeout: \(value)\n", file: "gw.yaml")
    }

    @Test func drainTimeoutDefaultsUnderKubernetesGracePeriod() throws {
        #expect(GatewaySettings().drainTimeout == .seconds(25))
        #expect(try parse("5s").gateway.drainTimeout == .seconds(5))
        #expect(try parse("0s").gateway.drainTimeout == .zero)
    }

    @Test(arguments: ["11m", "1h", "soon", "-1s"])
    func anUnusableDrainTimeoutIsNamedWithItsLine(value: String) throws {
        do {
            _ = try parse(value)
            Issue.record("drain_timeout: \(value) was accepted")
        } catch {
            #expect(error.errors.contains { $0.key == "gateway.drain_timeout" && $0.line != nil }, "\(error.description)")
        }
    }
}
