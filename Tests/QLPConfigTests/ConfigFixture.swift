import Foundation
import QLPConfig
import QLPCore

/// Config text for tests: a valid budget, and with a minimal azure section to
/// which a test appends the lines under test (their lines from `line(_:)`).
enum ConfigFixture {
    /// A valid budget section, ending in a newline.
    static let budget = """
        budget:
          total: 5000.00
          credit_start: 2026-10-01
          credit_expiry: 2027-09-30
          monthly:
            amount: 1000.00
            alerts: [80, 95]
          allocation:
            compute:
              amount: 2000.00
              services: [Virtual Machine Scale Sets]
            azure_openai:
              amount: 1500.00
              services: [Azure AI Services]
            databases_storage:
              amount: 800.00
              services: [Storage]
            networking_security:
              amount: 400.00
              services: [Bandwidth]
            monitoring_devops:
              amount: 300.00
              services: [Log Analytics]

        """

    /// The budget and a minimal azure section, open for more azure keys.
    static let base =
        budget + """
            azure:
              tenant_id: t1
              subscription_id: s1
              resource_group: rg

            """
    /// The file line of the appended line at `index` (from 0).
    static func line(_ index: Int) -> Int { base.split(separator: "\n", omittingEmptySubsequences: false).count + index }

    static func outcome(_ lines: [String]) -> Result<QLPConfiguration, ConfigErrors> {
        let yaml = base + lines.joined(separator: "\n") + "\n"
        do {
            return .success(try ConfigParser(environment: [:], requireAzure: true).parse(yaml: yaml, file: "azure.yaml"))
        } catch {
            return .failure(error)
        }
    }

    static func errors(_ lines: [String]) -> [ConfigError] {
        if case .failure(let failure) = outcome(lines) { return failure.errors }
        return []
    }
}
