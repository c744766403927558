import Foundation
import QLPEmulator
import Testing

/// `qlp doctor` against a running emulator, as an operator would run it.
@Suite(.serialized) struct DoctorCommandTests {
    static let demoTenant = "72f988bf-0000-4000-8000-00000000demo"
    static let demoClient = "535fb089-9ff3-47b6-9bfb-4f1264799865"
    static let demoSubscription = "00000000-0000-4000-8000-0000000000de"

    func config(port: Int, secret: String, scratch: ScratchDirectory, extra: String = "") throws -> String {
        let repo = try String(contentsOfFile: ReportCommandTests.repoConfig, encoding: .utf8)
        // The repository's config with its azure and dashboard sections pointed at the emulator.
        let budget = repo[repo.range(of: "budget:")!.lowerBound..<repo.range(of: "# --- The seed's service configuration")!.lowerBound]
            .replacingOccurrences(of: "  # exchange_rates:\n  #   USD: 0.79", with: "  exchange_rates:\n    USD: 0.79")
        let text = """
            azure:
              tenant_id: \(Self.demoTenant)
              subscription_id: \(Self.demoSubscription)
              resource_group: quantumlayer-prod
              credential: client_secret
              client_id: \(Self.demoClient)
              client_secret: "${DOCTOR_TEST_SECRET}"
              endpoints:
                authority: http://127.0.0.1:\(port)
                management: http://127.0.0.1:\(port)
                key_vault: http://127.0.0.1:\(port)
                app_insights: http://127.0.0.1:\(port)
              monitor:
                resources:
                  - name: AKS
                    id: /subscriptions/\(Self.demoSubscription)/resourceGroups/quantumlayer-prod/providers/Microsoft.ContainerService/managedClusters/qlp-aks
                    metrics: [node_cpu_usage_percentage]
                log_metrics:
                  - name: ai_model_response_time
                    app_insights_app_id: 5b6c7d8e-0000-4000-8000-00000000a11a
                    query: customMetrics | where name == 'ai_model_response_time' | project timestamp, value
                    grain: 15m
            \(budget)
            dashboard:
              log_file: \(scratch.path)/qlp.log
              state_dir: \(scratch.path)/state
            \(extra)
            """
        let path = scratch.path + "/qlp.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        _ = secret
        return path
    }

    func doctor(config: String, secret: String, scratch: ScratchDirectory) async throws -> Subprocess.Result {
        try await Subprocess.run(
            [QLPBinary.path, "doctor", "--config", config],
            environment: ["HOME": scratch.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "DOCTOR_TEST_SECRET": secret])
    }

    @Test func passesAgainstTheEmulatorAndNamesAWrongSecretWithoutShowingIt() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let emulator = try await RunningEmulator.start(in: scratch)
        defer { emulator.stop() }
        let port = emulator.port
        let path = try config(port: port, secret: "", scratch: scratch)

        let good = try await doctor(config: path, secret: EmulatorConfiguration.demoClientSecret, scratch: scratch)
        #expect(good.status == 0, "\(good.output)\(good.error)")
        #expect(good.output.contains("All "))
        #expect(good.output.contains("metrics: AKS"))
        #expect(good.output.contains("token: Application Insights"))
        #expect(good.output.contains("(timestamp, value)"), "the logged metric's query was read: \(good.output)")

        let wrong = "wrong-secret-7c1f9e2a"
        let bad = try await doctor(config: path, secret: wrong, scratch: scratch)
        #expect(bad.status == 1)
        #expect(bad.output.contains("AADSTS7000215"), "\(bad.output)")
        #expect(bad.output.contains("fix: the client secret is wrong"), "\(bad.output)")
        #expect(!bad.output.contains(wrong) && !bad.error.contains(wrong))
        let log = (try? String(contentsOfFile: scratch.path + "/qlp.log", encoding: .utf8)) ?? ""
        #expect(!log.contains(wrong), "the secret is in the log")
        #expect(!log.contains(EmulatorConfiguration.demoClientSecret))
    }

    /// Secrets named as keyvault:// references come out of the (emulated)
    /// vault: the Atlas check can only pass with the private key the vault
    /// holds, and a missing secret is named with its field, never its value.
    @Test func resolvesKeyVaultReferencesAndNamesAMissingSecret() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let emulator = try await RunningEmulator.start(in: scratch)
        defer { emulator.stop() }
        let port = emulator.port
        func sections(openAIKey: String) -> String {
            """
            azure_openai:
              endpoint: http://127.0.0.1:\(port)
              api_version: 2024-02-01
              api_key: \(openAIKey)
            mongodb_atlas:
              admin_api:
                org_id: 6530f0a1e0b2c3d4e5f60718
                public_key: qlpdemok
                private_key: keyvault://qlp-vault/mongodb-atlas-private-key
                base_url: http://127.0.0.1:\(port)
            """
        }
        let good = try await doctor(
            config: try config(
                port: port, secret: "", scratch: scratch,
                extra: sections(openAIKey: "keyvault://qlp-vault/azure-openai-api-key")),
            secret: EmulatorConfiguration.demoClientSecret, scratch: scratch)
        #expect(good.status == 0, "\(good.output)\(good.error)")
        #expect(good.output.contains("keyvault://qlp-vault/mongodb-atlas-private-key resolved"), "\(good.output)")
        #expect(good.output.contains("keyvault://qlp-vault/azure-openai-api-key resolved"), "\(good.output)")
        #expect(good.output.contains("credit used"), "the Atlas check needs the vault's private key: \(good.output)")

        let missing = try await doctor(
            config: try config(
                port: port, secret: "", scratch: scratch,
                extra: sections(openAIKey: "keyvault://qlp-vault/no-such-secret")),
            secret: EmulatorConfiguration.demoClientSecret, scratch: scratch)
        #expect(missing.status == 1)
        #expect(missing.output.contains("keyvault://qlp-vault/no-such-secret"), "\(missing.output)")
        #expect(missing.output.contains("404"), "\(missing.output)")
        #expect(missing.output.contains("fix: no such secret or version in that vault"), "\(missing.output)")
        let log = (try? String(contentsOfFile: scratch.path + "/qlp.log", encoding: .utf8)) ?? ""
        for value in [EmulatorConfiguration.demoOpenAIKey, EmulatorConfiguration.demoAtlasPrivateKey] {
            #expect(!good.output.contains(value) && !missing.output.contains(value) && !log.contains(value))
        }
    }

    /// Issue 16: on an AKS pod the credential that answers is the pod's
    /// workload identity, and doctor says so, naming the token file.
    @Test func demoWithWorkloadIdentityNamesTheCredentialThatAnswered() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let tokenFile = scratch.path + "/azure-identity-token"
        try "made-up-projected-service-account-token".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let path = try config(port: 1, secret: "", scratch: scratch)
        let result = try await Subprocess.run(
            [QLPBinary.path, "doctor", "--demo", "--config", path],
            environment: [
                "HOME": scratch.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "DOCTOR_TEST_SECRET": "unused",
                "AZURE_FEDERATED_TOKEN_FILE": tokenFile, "AZURE_CLIENT_ID": Self.demoClient, "AZURE_TENANT_ID": Self.demoTenant,
            ])
        let said = result.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(
            said.contains("Azure credential OK workload identity (AZURE_FEDERATED_TOKEN_FILE=\(tokenFile))"),
            "\(result.output)\(result.error)")
        #expect(said.contains("credential: workload identity OK works; qlp uses this one"), "\(result.output)")
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(!result.output.contains("projected-service-account-token"), "the assertion was printed")
    }
}
