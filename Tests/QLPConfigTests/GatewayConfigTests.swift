import Foundation
import QLPConfig
import QLPCore
import Testing

/// The repository's example config, found next to this test file.
private let examplePath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("config/qlp.yaml").path

private let hashA = String(repeating: "ab", count: 32)
private let hashB = String(repeating: "0F", count: 32)

/// The config text of the budget fixture plus a `gateway` section made of `lines`.
private func gatewayYAML(_ lines: [String]) -> String {
    ConfigFixture.budget + (["gateway:"] + lines).joined(separator: "\n") + "\n"
}

/// The 1-based file line of `lines[index]` in `gatewayYAML(lines)`.
private func line(_ index: Int) -> Int {
    ConfigFixture.budget.split(separator: "\n", omittingEmptySubsequences: false).count + 1 + index
}

private func parse(_ lines: [String], environment: [String: String] = [:]) -> Result<QLPConfiguration, ConfigErrors> {
    do {
        return .success(
            try ConfigParser(environment: environment, requireAzure: false)
                .parse(yaml: gatewayYAML(lines), file: "gw.yaml"))
    } catch {
        return .failure(error)
    }
}

private func errors(_ lines: [String], environment: [String: String] = [:]) -> [ConfigError] {
    if case .failure(let failure) = parse(lines, environment: environment) { return failure.errors }
    return []
}

@Suite("Config: gateway")
struct GatewayConfigTests {
    @Test func withoutTheSectionEveryDefaultHoldsAndNoTokenIsSet() throws {
        let config = try ConfigParser(environment: [:], requireAzure: false).parse(yaml: ConfigFixture.budget, file: "gw.yaml")
        #expect(config.gateway == GatewaySettings())
        #expect(config.gateway.host == "127.0.0.1" && config.gateway.port == 8088)
        #expect(config.gateway.adminHost == "127.0.0.1" && config.gateway.adminPort == 8089)
        #expect(config.gateway.adminToken == nil)
    }

    @Test func everyKeyIsRead() throws {
        let config = try parse(
            [
                "  listen: \"[::1]:9000\"",
                "  admin_listen: \":9001\"",
                "  admin_token: \"${TOKEN}\"",
                "  client_key_sha256: [\(hashA), \(hashB)]",
                "  max_request_bytes: 65536",
                "  request_timeout: 30s",
                "  max_attempts: 4",
                "  max_retry_after_wait: 1500ms",
                "  breaker:",
                "    window: 20s",
                "    minimum_requests: 10",
                "    failure_ratio: 0.25",
                "    open_for: 3s",
                "  probe_interval: 0s",
            ], environment: ["TOKEN": "s3cret-admin"]
        ).get()
        let gateway = config.gateway
        #expect(gateway.host == "::1" && gateway.port == 9000)
        #expect(gateway.adminHost == "127.0.0.1" && gateway.adminPort == 9001)
        #expect(gateway.adminToken?.reveal() == "s3cret-admin")
        #expect(gateway.clientKeyHashes == [hashA, hashB.lowercased()])
        #expect(gateway.maxRequestBytes == 65536)
        #expect(gateway.requestTimeout == .seconds(30))
        #expect(gateway.maxAttempts == 4)
        #expect(gateway.maxRetryAfterWait == .milliseconds(1500))
        #expect(gateway.breakerWindow == .seconds(20))
        #expect(gateway.breakerMinimumRequests == 10)
        #expect(gateway.breakerFailureRatio == 0.25)
        #expect(gateway.breakerOpenFor == .seconds(3))
        #expect(gateway.probeInterval == .zero)
    }

    @Test func anEmptyTokenMeansNone() throws {
        let config = try parse(["  admin_token: \"${QLP_ADMIN_TOKEN:-}\""]).get()
        #expect(config.gateway.adminToken == nil)
    }

    @Test func badValuesAreNamedWithFileLineAndKey() {
        let lines = [
            "  listen: 127.0.0.1",  // 0: no port
            "  admin_listen: \"127.0.0.1:99999\"",  // 1: port out of range
            "  client_key_sha256: [abc, \(hashA)]",  // 2: a short hash
            "  max_attempts: 11",  // 3
            "  request_timeout: soon",  // 4
            "  breaker:",  // 5
            "    failure_ratio: 1.5",  // 6
            "    minimum_requests: 0",  // 7
            "    opn_for: 3s",  // 8: a typo
        ]
        let found = errors(lines)
        func error(_ key: String) -> ConfigError? { found.first { $0.key == key } }
        #expect(found.count == 8)
        #expect(error("gateway.listen")?.line == line(0))
        #expect(error("gateway.listen")?.message.contains("host:port") == true)
        #expect(error("gateway.admin_listen")?.line == line(1))
        #expect(error("gateway.admin_listen")?.message.contains("0 to 65535") == true)
        #expect(error("gateway.client_key_sha256.[0]")?.line == line(2))
        #expect(error("gateway.client_key_sha256.[0]")?.message.contains("64 hex digits") == true)
        #expect(error("gateway.max_attempts")?.message.contains("between 1 and 10") == true)
        #expect(error("gateway.max_attempts")?.line == line(3))
        #expect(error("gateway.request_timeout")?.line == line(4))
        #expect(error("gateway.breaker.failure_ratio")?.line == line(6))
        #expect(error("gateway.breaker.minimum_requests")?.line == line(7))
        #expect(error("gateway.breaker.opn_for")?.message.contains("unknown key") == true)
        #expect(found.allSatisfy { $0.file == "gw.yaml" })
    }

    /// A pasted key instead of its hash must not be echoed back in the error.
    @Test func aBadKeyHashIsNotEchoed() {
        let pasted = "sk-live-this-is-a-client-key-not-a-hash"
        let found = errors(["  client_key_sha256: [\"\(pasted)\"]"])
        #expect(found.count == 1)
        #expect(found.allSatisfy { !$0.description.contains(pasted) })
    }

    @Test func theExampleConfigsGatewayBlockIsTheDefaults() throws {
        let text = try String(contentsOfFile: examplePath, encoding: .utf8)
        let config = try ConfigParser(
            environment: ["AZURE_TENANT_ID": "t", "AZURE_SUBSCRIPTION_ID": "s", "HOME": "/h"],
            requireAzure: true
        ).parse(yaml: text, file: "config/qlp.yaml")
        #expect(config.gateway == GatewaySettings())
        let withToken = try ConfigParser(
            environment: [
                "AZURE_TENANT_ID": "t", "AZURE_SUBSCRIPTION_ID": "s", "HOME": "/h",
                "QLP_ADMIN_TOKEN": "tok",
            ], requireAzure: true
        )
        .parse(yaml: text, file: "config/qlp.yaml")
        #expect(withToken.gateway.adminToken?.reveal() == "tok")
    }

    @Test func theViewerTokenAndBothNamesAreRead() throws {
        let gateway = try parse(
            [
                "  admin_token: \"${ADMIN}\"",
                "  admin_token_name: ops-admin",
                "  viewer_token: \"${VIEWER}\"",
                "  viewer_token_name: on.call_1",
            ], environment: ["ADMIN": "adm-secret", "VIEWER": "view-secret"]
        ).get().gateway
        #expect(gateway.adminToken?.reveal() == "adm-secret" && gateway.adminTokenName == "ops-admin")
        #expect(gateway.viewerToken?.reveal() == "view-secret" && gateway.viewerTokenName == "on.call_1")
        // Without the keys: no viewer token, and the default names.
        let plain = try parse(["  admin_token: tok"]).get().gateway
        #expect(plain.viewerToken == nil && plain.adminTokenName == "admin" && plain.viewerTokenName == "viewer")
        #expect(try parse(["  viewer_token: \"${VIEWER:-}\""]).get().gateway.viewerToken == nil)
    }

    /// The same value for both tokens would make every admin a viewer: refused,
    /// naming both keys and never the value.
    @Test func equalTokensAreRefusedWithoutShowingThem() {
        let found = errors(
            ["  admin_token: \"${ADMIN}\"", "  viewer_token: \"${VIEWER}\""],
            environment: ["ADMIN": "same-s3cret", "VIEWER": "same-s3cret"])
        #expect(found.count == 1)
        #expect(found.first?.key == "gateway.viewer_token" && found.first?.line == line(1))
        #expect(found.first?.message.contains("gateway.admin_token") == true)
        #expect(found.allSatisfy { !$0.description.contains("same-s3cret") })
    }

    @Test func badTokenNamesAreRefused() {
        let found = errors(["  admin_token_name: \"admin/alice\"", "  viewer_token_name: admin"])
        #expect(found.first { $0.key == "gateway.admin_token_name" }?.message.contains("letters, digits") == true)
        // The default admin name, kept since the bad one was refused, is taken.
        #expect(found.first { $0.key == "gateway.viewer_token_name" }?.message.contains("both 'admin'") == true)
        #expect(found.count == 2)
        #expect(errors(["  viewer_token: keyvault://vault/secret"]).first?.key == "gateway.viewer_token")
    }
}
