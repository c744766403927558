import QLPConfig
import QLPCore
import Testing

/// `dashboard.bell`, `dashboard.read_only` and `dashboard.operator`: the keys
/// the dashboard's alerts and route changes read.
@Suite("Config: dashboard bell, read-only and operator")
struct DashboardAlertConfigTests {
    private func parse(_ lines: [String], environment: [String: String] = [:]) throws -> DashboardSettings {
        let yaml = ConfigFixture.budget + (["dashboard:"] + lines).joined(separator: "\n") + "\n"
        return try ConfigParser(environment: environment, requireAzure: false).parse(yaml: yaml, file: "dash.yaml").dashboard
    }

    @Test func theBellIsOnAndRouteChangesAllowedByDefault() throws {
        let settings = try parse(["  cost_refresh: 30m"], environment: ["USER": "carol"])
        #expect(settings.bell)
        #expect(!settings.readOnly)
        #expect(settings.operatorName == "carol")
        #expect(!settings.blockGlyphs)
    }

    @Test func everyKeyIsRead() throws {
        let settings = try parse(["  bell: false", "  read_only: true", "  operator: dave", "  block_glyphs: true"])
        #expect(settings.blockGlyphs)
        #expect(!settings.bell)
        #expect(settings.readOnly)
        #expect(settings.operatorName == "dave")
    }

    @Test func aBellThatIsNotABooleanIsAnErrorNamingTheKey() {
        #expect {
            _ = try parse(["  bell: loud"])
        } throws: { error in
            "\(error)".contains("bell")
        }
    }
}
