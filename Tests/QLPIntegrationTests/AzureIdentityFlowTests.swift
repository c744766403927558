import Foundation
import QLPAzure
import QLPCore
import QLPEmulator
import QLPHTTP
import Testing

/// Issue 16: the credentials of AKS, App Service and certificate users,
/// each through the emulator's faithful flow, and every Azure request traceable.
@Suite(.serialized, .timeLimit(.minutes(2))) struct AzureIdentityFlowTests {
    static let scope = AzureEndpoints.publicCloud.managementScope

    /// An emulator configured by `change`, and a scratch folder; both gone after `body`.
    func withEmulator(
        _ change: (inout EmulatorConfiguration, String) throws -> Void = { _, _ in },
        _ body: (AzureEmulator, String, CurlTransport, String) async throws -> Void
    ) async throws {
        let folder = NSTemporaryDirectory() + "qlp-identity-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var configuration = EmulatorConfiguration(world: CostWorld(seed: 42, firstDay: EmulatorHarness.firstDay))
        try change(&configuration, folder)
        let emulator = AzureEmulator(configuration: configuration)
        let base = try await emulator.start()
        let transport = CurlTransport()
        do {
            try await body(emulator, base, transport, folder)
        } catch {
            transport.shutdown()
            await emulator.stop()
            throw error
        }
        transport.shutdown()
        await emulator.stop()
    }

    func workloadEnvironment(_ base: String, file: String) -> [String: String] {
        [
            "AZURE_FEDERATED_TOKEN_FILE": file, "AZURE_CLIENT_ID": EmulatorConfiguration.demoClientID,
            "AZURE_TENANT_ID": EmulatorConfiguration.demoTenantID, "AZURE_AUTHORITY_HOST": base,
        ]
    }

    @Test func workloadIdentitySendsTheTokenFileAndReadsItAgainAfterRotation() async throws {
        let file = NSTemporaryDirectory() + "qlp-federated-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "made-up-first-projected-token\n".write(toFile: file, atomically: true, encoding: .utf8)
        let trustingTheFile: (inout EmulatorConfiguration, String) throws -> Void = { c, _ in c.federatedTokenFile = file }
        try await withEmulator(trustingTheFile) { emulator, base, transport, _ in
            // Named alone in the config: only workload identity is tried.
            let azure = AzureSettings(
                tenantID: "ignored-config-tenant", subscriptionID: "s", resourceGroup: "g", credential: .workloadIdentity,
                endpoints: AzureEndpoints(authority: "https://login.invalid", management: base))
            let credential = try AzureCredentials.source(
                for: azure, environment: workloadEnvironment(base, file: file), transport: transport,
                timeout: .seconds(10))
            #expect(credential is WorkloadIdentityCredential)
            #expect(credential.origin == "AZURE_FEDERATED_TOKEN_FILE=\(file)")
            let first = try await credential.fetchToken(scope: Self.scope)
            #expect(first.token.reveal().hasPrefix("emu."))

            // kubelet rotates the file in place: the emulator now trusts only the new token, so a kept copy would be refused.
            try "made-up-rotated-projected-token".write(toFile: file, atomically: true, encoding: .utf8)
            let second = try await credential.fetchToken(scope: Self.scope)
            #expect(second.token != first.token)
            #expect(emulator.statistics.responses(from: .token, status: 200) == 2)

            // A token the federated credential does not match: refused, named, and never quoted.
            let stranger = NSTemporaryDirectory() + "qlp-federated-other-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: stranger) }
            try "another-clusters-token-9f3a".write(toFile: stranger, atomically: true, encoding: .utf8)
            let other = try AzureCredentials.source(
                for: azure, environment: workloadEnvironment(base, file: stranger), transport: transport,
                timeout: .seconds(10))
            await #expect {
                _ = try await other.fetchToken(scope: Self.scope)
            } throws: { error in
                let text = "\(error)"
                return text.contains("workload identity") && text.contains("AADSTS70021") && text.contains("/oauth2/v2.0/token")
                    && text.contains("x-ms-request-id") && !text.contains("another-clusters-token")
            }
        }
    }

    @Test func workloadIdentityComesBeforeManagedIdentityInTheChain() async throws {
        let file = NSTemporaryDirectory() + "qlp-federated-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "chain-token".write(toFile: file, atomically: true, encoding: .utf8)
        let trustingTheFile: (inout EmulatorConfiguration, String) throws -> Void = { c, _ in c.federatedTokenFile = file }
        try await withEmulator(trustingTheFile) { emulator, base, transport, _ in
            let azure = AzureSettings(
                tenantID: EmulatorConfiguration.demoTenantID, subscriptionID: "s", resourceGroup: "g", credential: .auto,
                endpoints: AzureEndpoints(authority: base, management: base, managedIdentity: base))
            let chain = ChainedCredential(
                AzureCredentials.chain(
                    for: azure, environment: workloadEnvironment(base, file: file),
                    transport: transport, timeout: .seconds(10)))
            #expect(chain.sources.map(\.name) == ["environment", "workload identity", "managed identity", "Azure CLI"])
            _ = try await chain.fetchToken(scope: Self.scope)
            #expect(chain.workingSource == "workload identity")
            #expect(emulator.statistics.requests(to: .managedIdentity) == 0)
        }
    }

    @Test func identityEndpointSendsItsHeaderAndIsRefusedWithoutIt() async throws {
        try await withEmulator { emulator, base, transport, _ in
            let azure = AzureSettings(
                tenantID: "t", subscriptionID: "s", resourceGroup: "g", credential: .managedIdentity(clientID: nil),
                endpoints: AzureEndpoints(authority: base, management: base, managedIdentity: base))
            let environment = ["IDENTITY_ENDPOINT": base + "/msi/token", "IDENTITY_HEADER": EmulatorConfiguration.demoIdentityHeader]
            let credential = try AzureCredentials.source(for: azure, environment: environment, transport: transport, timeout: .seconds(5))
            let token = try await credential.fetchToken(scope: "https://vault.azure.net/.default")
            #expect(token.expiresOn > Date())
            #expect(emulator.statistics.responses(from: .identityEndpoint, status: 200) == 1)
            #expect(emulator.statistics.requests(to: .managedIdentity) == 0, "IMDS was asked although IDENTITY_ENDPOINT is set")

            // The header is what proves the caller runs inside the app: without it, or wrong, the endpoint refuses.
            let wrong = IdentityEndpointCredential(endpoint: base + "/msi/token", header: Secret("stale-header-0000"), transport: transport)
            await #expect {
                _ = try await wrong.fetchToken(scope: Self.scope)
            } throws: { error in
                guard case .authentication(let failure) = error as? AzureError else { return false }
                return failure.status == 401 && failure.description.contains("X-IDENTITY-HEADER")
                    && failure.description.contains("/msi/token") && !failure.description.contains("stale-header-0000")
            }
            let bare = try await transport.send(
                HTTPRequest(url: base + "/msi/token?resource=https://vault.azure.net&api-version=2019-08-01"))
            #expect(bare.status == 400)
        }
    }

    /// A self-signed certificate made by openssl for this test: the PEM with key and certificate.
    static func makeCertificate(in folder: String, name: String) throws -> String {
        let key = "\(folder)/\(name).key"
        let cert = "\(folder)/\(name).crt"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=qlp-test-\(name)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let pem = try String(contentsOfFile: key, encoding: .utf8) + String(contentsOfFile: cert, encoding: .utf8)
        let path = "\(folder)/\(name).pem"
        try pem.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func certificateCredentialSignsItsAssertionAndTheEmulatorVerifiesIt() async throws {
        var registered = ""
        let trustingACertificate: (inout EmulatorConfiguration, String) throws -> Void = { c, folder in
            registered = try Self.makeCertificate(in: folder, name: "registered")
            c.trustedCertificate = try TrustedCertificate(pem: String(contentsOfFile: registered, encoding: .utf8))
        }
        try await withEmulator(trustingACertificate) { emulator, base, transport, folder in
            let azure = AzureSettings(
                tenantID: EmulatorConfiguration.demoTenantID, subscriptionID: "s", resourceGroup: "g",
                credential: .certificate, endpoints: AzureEndpoints(authority: base, management: base))
            func environment(_ path: String) -> [String: String] {
                ["AZURE_CLIENT_ID": EmulatorConfiguration.demoClientID, "AZURE_CLIENT_CERTIFICATE_PATH": path]
            }
            let credential = try AzureCredentials.source(
                for: azure, environment: environment(registered), transport: transport,
                timeout: .seconds(10))
            #expect(credential.origin == "AZURE_CLIENT_CERTIFICATE_PATH=\(registered)")
            let token = try await credential.fetchToken(scope: Self.scope)
            #expect(token.token.reveal().hasPrefix("emu."))

            // A certificate the app registration does not have: its signature is refused.
            let stranger = try Self.makeCertificate(in: folder, name: "stranger")
            let other = try AzureCredentials.source(
                for: azure, environment: environment(stranger), transport: transport, timeout: .seconds(10))
            await #expect {
                _ = try await other.fetchToken(scope: Self.scope)
            } throws: { error in
                "\(error)".contains("certificate: Entra ID refused a token") && "\(error)".contains("AADSTS700027")
            }
            #expect(emulator.statistics.responses(from: .token, status: 200) == 1)

            // Through the environment credential, as azure-identity reads AZURE_CLIENT_CERTIFICATE_PATH.
            var auto = azure
            auto.credential = .environment
            let chained = ChainedCredential(
                AzureCredentials.chain(
                    for: auto, environment: environment(registered), transport: transport,
                    timeout: .seconds(10)))
            _ = try await chained.fetchToken(scope: Self.scope)
            #expect(chained.workingSource == "environment")

            // An encrypted key is refused with what to do, naming the file.
            let encrypted = folder + "/encrypted.pem"
            try "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n".write(
                toFile: encrypted, atomically: true,
                encoding: .utf8)
            #expect(throws: AzureError.self) {
                _ = try AzureCredentials.source(for: azure, environment: environment(encrypted), transport: transport, timeout: .seconds(1))
            }
        }
    }

    @Test func everyRequestTheEmulatorSeesNamesQLPAndErrorsQuoteAzuresRequestID() async throws {
        try await withHarness { h in
            _ = try await h.client.dailyCostsByService(
                scope: h.scope, from: EmulatorHarness.firstDay,
                to: EmulatorHarness.firstDay.adding(days: 3))
            _ = try await h.keyVault.secret(name: "azure-openai-api-key", vaultURL: h.base)
            _ = try await h.appInsights.metric(appID: h.appID, metricID: "requests/count", timespan: "PT1H")
            let imds = ManagedIdentityCredential(endpoint: h.base, transport: h.transport, retryDelays: [])
            _ = try await imds.fetchToken(scope: Self.scope)
            await #expect {
                _ = try await h.keyVault.secret(name: "no-such-secret", vaultURL: h.base)
            } throws: { error in
                "\(error)".contains("x-ms-request-id ")
            }
            let agents = h.emulator.statistics.userAgents
            #expect(agents.values.reduce(0, +) >= 6, "\(agents)")
            #expect(agents.keys.allSatisfy { $0.hasPrefix("qlp/") }, "\(agents)")
            #expect(agents.keys.contains("qlp/\(QLPVersion.current)"))
        }
    }
}
