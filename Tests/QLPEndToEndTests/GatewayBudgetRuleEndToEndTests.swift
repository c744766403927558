import Foundation
import QLPEmulator
import QLPHTTP
import QLPTestSupport
import Testing

/// A headless `qlp gateway` fires its budget rules from Cost Management, as
/// the dashboard does: the emulator's Azure OpenAI spend (about a third of its
/// allocation) passes a rule set at 10%, the chat route moves to llama3, a
/// request that asks for gpt-4 keeps it, and the firing is audited and alerted.
@Suite struct GatewayBudgetRuleEndToEndTests {
    static let token = "e2e-budget-admin-token"

    @Test func aBudgetRuleFiresFromCostManagementAndMovesTheRoute() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let emulator = try await RunningEmulator.start(in: scratch)
        defer { emulator.stop() }
        let port = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        var config = try String(
            contentsOfFile: try GatewayProcess.config(
                azure: emulator.port, ollama: emulator.port, port: port,
                adminPort: adminPort, scratch: scratch), encoding: .utf8)
        config = """
            azure:
              tenant_id: \(DoctorCommandTests.demoTenant)
              subscription_id: \(DoctorCommandTests.demoSubscription)
              resource_group: quantumlayer-prod
              credential: client_secret
              client_id: \(DoctorCommandTests.demoClient)
              client_secret: \(EmulatorConfiguration.demoClientSecret)
              endpoints:
                authority: http://127.0.0.1:\(emulator.port)
                management: http://127.0.0.1:\(emulator.port)

            """
            + config.replacingOccurrences(
                of: "\ngateway:\n",
                with: """

                      budget_rules:
                        openai_hot:
                          category: azure_openai
                          at_percent: 10
                          route: chat
                          send_to: llama3
                          except_models: [gpt4]
                    gateway:
                      admin_token: "\(Self.token)"

                    """)
        let path = scratch.path + "/gateway-budget.yaml"
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(config: path, port: port, adminPort: adminPort, scratch: scratch)
        defer { gateway.stop() }

        let client = CurlTransport(maxConcurrentTransfers: 4)
        defer { client.shutdown() }
        let admin = HTTPHeaders([("Authorization", "Bearer \(Self.token)")])
        var alerts = ""
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, !alerts.contains("openai_hot fired") {
            try await Task.sleep(for: .milliseconds(250))
            let response = try? await client.send(
                HTTPRequest(
                    url: "http://127.0.0.1:\(adminPort)/admin/alerts", headers: admin,
                    timeout: .seconds(5), connectTimeout: .seconds(2)))
            alerts = response?.bodyText ?? ""
        }
        #expect(alerts.contains("openai_hot fired: azure_openai at"), "alerts: \(alerts)")

        func target(asking model: String) async throws -> String? {
            let body = #"{"model":"\#(model)","max_tokens":3,"messages":[{"role":"user","content":"hi"}]}"#
            let response = try await client.send(
                HTTPRequest(
                    method: .post, url: "http://127.0.0.1:\(port)/v1/chat/completions",
                    headers: HTTPHeaders([("Content-Type", "application/json")]), body: Array(body.utf8), timeout: .seconds(30)))
            #expect(response.status == 200, "\(response.bodyText)")
            return response.headers["x-qlp-target"]
        }
        for _ in 0..<3 { #expect(try await target(asking: "chat") == "llama3") }
        #expect(try await target(asking: "gpt4") == "gpt4")  // pinned to an exempt target

        let audit = try await client.send(
            HTTPRequest(
                url: "http://127.0.0.1:\(adminPort)/admin/audit?limit=10", headers: admin,
                timeout: .seconds(5)))
        #expect(audit.bodyText.contains("budget-rule"))
        let log = (try? String(contentsOfFile: gateway.logPath, encoding: .utf8)) ?? ""
        #expect(!log.contains(Self.token))
    }
}
