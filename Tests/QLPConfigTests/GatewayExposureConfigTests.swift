import Foundation
import QLPConfig
import QLPCore
import Testing

/// gateway.allowed_hosts, allowed_origins, max_output_tokens and max_choices.
@Suite("Config: gateway exposure")
struct GatewayExposureConfigTests {
    static func parse(_ lines: [String]) -> Result<QLPConfiguration, ConfigErrors> {
        let yaml = ConfigFixture.budget + (["gateway:"] + lines).joined(separator: "\n") + "\n"
        do {
            return .success(try ConfigParser(environment: [:], requireAzure: false).parse(yaml: yaml, file: "gw.yaml"))
        } catch {
            return .failure(error)
        }
    }

    static func errors(_ lines: [String]) -> [ConfigError] {
        if case .failure(let failure) = parse(lines) { return failure.errors }
        return []
    }

    @Test func theDefaultsAllowNoOtherNameNoPageAndOneBoundedChoice() throws {
        let gateway = try Self.parse(["  listen: \"127.0.0.1:8088\""]).get().gateway
        #expect(gateway.allowedHosts.isEmpty)
        #expect(gateway.allowedOrigins.isEmpty)
        #expect(gateway.maxOutputTokens == 4096)
        #expect(gateway.maxChoices == 1)
    }

    @Test func namesOriginsAndLimitsAreRead() throws {
        let gateway = try Self.parse([
            "  allowed_hosts: [gateway.internal.example, 10.0.0.5]",
            "  allowed_origins: [\"https://App.Example:8443\", \"http://localhost:3000\"]",
            "  max_output_tokens: 16384",
            "  max_choices: 4",
        ]).get().gateway
        #expect(gateway.allowedHosts == ["gateway.internal.example", "10.0.0.5"])
        #expect(gateway.allowedOrigins == ["https://app.example:8443", "http://localhost:3000"])
        #expect(gateway.maxOutputTokens == 16384)
        #expect(gateway.maxChoices == 4)
    }

    @Test func aWildcardOrAPathIsNotAnOriginAndLimitsAreBounded() {
        let found = Self.errors([
            "  allowed_origins: [\"*\", \"https://app.example/chat\"]",
            "  allowed_hosts: [\"*.example\"]",
            "  max_output_tokens: 0",
            "  max_choices: 500",
        ])
        #expect(
            found.map(\.key) == [
                "gateway.allowed_hosts.[0]", "gateway.allowed_origins.[0]", "gateway.allowed_origins.[1]",
                "gateway.max_output_tokens", "gateway.max_choices",
            ], "\(found)")
        #expect(found.dropFirst().first?.message.contains("https://app.example") == true)
    }
}
