import Foundation
import QLPAzure
import Testing

/// `az` is another program: it gets what it needs to find its login and
/// reach Azure, not qlp's secrets.
@Suite struct AzureCLIEnvironmentTests {
    @Test func finding08_theAzureCLIGetsAMinimalEnvironmentWithoutQLPsSecrets() async throws {
        let cli = try AzureCLICredentialTests.FakeCLI(
            """
            env > "$HOME/env"
            echo '{"accessToken":"t","expires_on":1795718525,"tokenType":"Bearer"}'
            """)
        defer { cli.remove() }
        let environment = [
            "PATH": cli.directory + ":/usr/bin:/bin", "HOME": cli.directory, "AZURE_CONFIG_DIR": cli.directory + "/.azure",
            "LANG": "C.UTF-8", "HTTPS_PROXY": "http://127.0.0.1:3128", "REQUESTS_CA_BUNDLE": "/etc/ssl/certs/ca-certificates.crt",
            "AZURE_CLIENT_SECRET": "client-secret-3f9a", "QLP_ADMIN_TOKEN": "admin-token-77c2",
            "AZURE_OPENAI_API_KEY": "aoai-key-1b2c", "ATLAS_PRIVATE_KEY": "atlas-key-9d8e", "QLP_CONFIG": "/tmp/elsewhere.yaml",
        ]
        let credential = AzureCLICredential(timeout: .seconds(5), environment: environment)
        _ = try await credential.fetchToken(scope: "https://management.azure.com/.default")
        let seen = try String(contentsOfFile: cli.directory + "/env", encoding: .utf8)
        let names = Set(seen.split(separator: "\n").compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
        for kept in ["PATH", "HOME", "AZURE_CONFIG_DIR", "LANG", "HTTPS_PROXY", "REQUESTS_CA_BUNDLE"] {
            #expect(names.contains(kept), "az did not get \(kept): \(names.sorted())")
        }
        for secret in ["client-secret-3f9a", "admin-token-77c2", "aoai-key-1b2c", "atlas-key-9d8e", "elsewhere"] {
            #expect(!seen.contains(secret), "az was given \(secret)")
        }
    }
}
