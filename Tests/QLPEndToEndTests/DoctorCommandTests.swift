import Foundation
import Testing

/// `qlp doctor` against a running emulator, as an operator would run it.
@Suite(.serialized) struct DoctorCommandTests {
    static let demoTenant = "72f988bf-0000-4000-8000-00000000demo"
    static let demoClient = "535fb089-9ff3-47b6-9bfb-4f1264799865"
    static let demoSubscription = "00000000-0000-4000-8000-0000000000de"

    func config(port: Int, secret: String, scratch: ScratchDirectory) throws -> String {
        let repo = try String(contentsOfFile: ReportCommandTests.repoConfig, encoding: .utf8)
        // The repository's config with its azure and dashboard sections pointed at the emulator.
        let budget = repo[repo.range(of: "budget:")!.lowerBound..<repo.range(of: "# --- The seed's service configuration")!.lowerBound]
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
              monitor:
                resources:
                  - name: AKS
                    id: /subscriptions/\(Self.demoSubscription)/resourceGroups/quantumlayer-prod/providers/Microsoft.ContainerService/managedClusters/qlp-aks
                    metrics: [node_cpu_usage_percentage]
            \(budget)
            dashboard:
              log_file: \(scratch.path)/qlp.log
              state_dir: \(scratch.path)/state
            """
        let path = scratch.path + "/qlp.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        _ = secret
        return path
    }

    func doctor(config: String, secret: String, scratch: ScratchDirectory) throws -> Subprocess.Result {
        try Subprocess.run([QLPBinary.path, "doctor", "--config", config],
                           environment: ["HOME": scratch.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "DOCTOR_TEST_SECRET": secret])
    }

    @Test func passesAgainstTheEmulatorAndNamesAWrongSecretWithoutShowingIt() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let port = try freeLoopbackPort()
        let emulator = try BackgroundProcess([QLPBinary.path, "emulate", "--port", String(port)], outputPath: scratch.path + "/emulator.log")
        defer { emulator.stop() }
        try await emulator.waitForOutput("listening on")
        let path = try config(port: port, secret: "", scratch: scratch)

        let good = try doctor(config: path, secret: "qlp-emulator-demo-credential", scratch: scratch)
        #expect(good.status == 0, "\(good.output)\(good.error)")
        #expect(good.output.contains("All "))
        #expect(good.output.contains("metrics: AKS"))

        let wrong = "wrong-secret-7c1f9e2a"
        let bad = try doctor(config: path, secret: wrong, scratch: scratch)
        #expect(bad.status == 1)
        #expect(bad.output.contains("AADSTS7000215"), "\(bad.output)")
        #expect(bad.output.contains("fix: the client secret is wrong"), "\(bad.output)")
        #expect(!bad.output.contains(wrong) && !bad.error.contains(wrong))
        let log = (try? String(contentsOfFile: scratch.path + "/qlp.log", encoding: .utf8)) ?? ""
        #expect(!log.contains(wrong), "the secret is in the log")
        #expect(!log.contains("qlp-emulator-demo-credential"))
    }
}
