import QLPConfig
import QLPCore
import Testing

/// Issue 13: the usage ledger is on unless turned off, and keeps single
/// requests for gateway.usage_retention.
@Suite("Config: gateway.usage_ledger and usage_retention")
struct GatewayUsageLedgerConfigTests {
    func parse(_ lines: String) throws(ConfigErrors) -> QLPConfiguration {
        try ConfigParser(environment: [:], requireAzure: false)
            .parse(yaml: ConfigFixture.budget + "gateway:\n" + lines, file: "gw.yaml")
    }

    @Test func theLedgerIsOnForThirtyDaysUnlessSaidOtherwise() throws {
        #expect(GatewaySettings().usageLedger)
        #expect(GatewaySettings().usageRetention == .seconds(30 * 86_400))
        let set = try parse("  usage_ledger: false\n  usage_retention: 90d\n").gateway
        #expect(!set.usageLedger)
        #expect(set.usageRetention == .seconds(90 * 86_400))
    }

    @Test(arguments: ["12h", "401d", "forever"])
    func anUnusableRetentionIsNamed(value: String) throws {
        do {
            _ = try parse("  usage_retention: \(value)\n")
            Issue.record("usage_retention: \(value) was accepted")
        } catch {
            #expect(error.errors.contains { $0.key == "gateway.usage_retention" }, "\(error.description)")
        }
    }
}
