import Foundation
import QLPAzure
import QLPCore
import QLPHTTP
import Testing

/// An email sink's SMTP password may be a keyvault:// reference, as the config
/// allows: it is resolved like every other secret, and never sent as it is.
@Suite("Key Vault references in notification sinks")
struct NotificationSecretReferenceTests {
    func configuration(password: String) -> QLPConfiguration {
        let email = EmailSinkSettings(
            smtpURL: "smtps://smtp.example.com", host: "smtp.example.com", security: .implicitTLS,
            username: "alerts@example.com", password: Secret(password), from: "qlp@example.com",
            to: ["finance@example.com"])
        var configuration = QLPConfiguration(
            azure: nil,
            budget: BudgetPlan(
                currency: .gbp, total: 1000,
                creditPeriod: DayRange(CivilDate(iso8601: "2026-01-01")!, CivilDate(iso8601: "2026-12-31")!)!,
                billingTimeZone: "Europe/London", monthly: MonthlyBudget(amount: 100, alertThresholds: []),
                allocations: [], atlasCredits: nil),
            azureOpenAI: nil, ollama: nil, mongodbAtlas: nil, routing: nil,
            dashboard: DashboardSettings(
                costRefresh: .seconds(60), requestTimeout: .seconds(5), operatorName: "o", colorEnabled: false,
                logFile: "/dev/null", stateDirectory: "/tmp", readOnly: true))
        configuration.notifications = NotificationSettings(sinks: [
            NotificationSink(name: "hook", destination: .webhook(url: Secret("https://alerts.example.com/h"))),
            NotificationSink(name: "mail", destination: .email(email)),
        ])
        return configuration
    }

    @Test func theSMTPPasswordReferenceIsFoundAndResolved() async throws {
        let configuration = configuration(password: "keyvault://qlp-vault/smtp-password")
        #expect(SecretReferences.references(in: configuration).map(\.field) == ["notifications.sinks.[1].password"])
        let transport = ScriptedTransport([HTTPResponse(status: 200, body: Array(#"{"value":"smtp-s3cret","id":"x"}"#.utf8))])
        let client = KeyVaultClient(transport: transport, tokens: TokenCache(source: CountingTokenSource()))
        let (resolved, outcomes) = await SecretReferences(client: client, endpoints: .publicCloud).resolve(configuration)
        #expect(outcomes.count == 1 && outcomes[0].failure == nil)
        guard case .email(let email) = resolved.notifications.sinks[1].destination else {
            Issue.record("the sink changed kind")
            return
        }
        #expect(email.password?.reveal() == "smtp-s3cret")
        #expect(resolved.notifications.sinks[0] == configuration.notifications.sinks[0])
    }

    @Test func aPlainPasswordIsNoReference() {
        #expect(SecretReferences.references(in: configuration(password: "hunter2")).isEmpty)
    }
}
