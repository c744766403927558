import Foundation
import QLPConfig
import QLPCore
import Testing

private func d(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))! }

/// A valid budget whose total (line 2) and dashboard operator (line 25) are given.
private func config(total: String = "5000.00", operatorValue: String = "ops") -> String {
    """
    budget:
      total: \(total)
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
    dashboard:
      operator: \(operatorValue)

    """
}

private func parse(_ yaml: String, _ environment: [String: String], requireAzure: Bool = false) throws(ConfigErrors) -> QLPConfiguration {
    try ConfigParser(environment: environment, requireAzure: requireAzure).parse(yaml: yaml, file: "test.yaml")
}

private func errors(_ yaml: String, _ environment: [String: String], requireAzure: Bool = false) -> [ConfigError] {
    do {
        _ = try parse(yaml, environment, requireAzure: requireAzure)
        return []
    } catch {
        return error.errors
    }
}

private let secretValue = "hunter2-very-secret"

/// An azure section with a service principal whose secret comes from $SECRET.
private func withServicePrincipal(_ yaml: String, secret: String = "\"${SECRET}\"") -> String {
    """
    azure:
      tenant_id: tenant
      subscription_id: sub
      resource_group: rg
      credential: client_secret
      client_id: app-id
      client_secret: \(secret)

    """ + yaml
}

@Suite("${VAR} substitution")
struct EnvironmentSubstitutionTests {
    @Test func setVariable() throws {
        let plan = try parse(config(total: "\"${TOTAL}\""), ["TOTAL": "5000.00"]).budget
        #expect(plan.total == d("5000"))
    }

    @Test func unsetVariableWithFallback() throws {
        #expect(try parse(config(total: "\"${TOTAL:-5000.00}\""), [:]).budget.total == d("5000"))
        // An empty variable takes the fallback too, as in the shell.
        #expect(try parse(config(total: "\"${TOTAL:-5000.00}\""), ["TOTAL": ""]).budget.total == d("5000"))
        // A set variable beats the fallback (and the allocations must then match it).
        let mismatch = errors(config(total: "\"${TOTAL:-5000.00}\""), ["TOTAL": "6000"])
        #expect(mismatch.map(\.key) == ["budget.total"])
        #expect(mismatch.first?.message.contains("£6,000.00") == true)
    }

    @Test func unsetVariableWithoutFallback() throws {
        let found = errors(config(total: "\"${TOTAL}\""), [:])
        #expect(found.count == 1)
        let error = try #require(found.first)
        #expect(error.line == 2)
        #expect(error.key == "budget.total")
        #expect(error.message.contains("TOTAL"))
        #expect(error.message.contains("not set"))
    }

    @Test func partsOfAValue() throws {
        let dashboard = try parse(config(operatorValue: "\"ops-${WHO}-${TEAM:-core}\""), ["WHO": "bob"]).dashboard
        #expect(dashboard.operatorName == "ops-bob-core")
        let plain = try parse(config(operatorValue: "\"no references $HOME {x}\""), [:]).dashboard
        #expect(plain.operatorName == "no references $HOME {x}")
    }

    /// A value from the environment is text, never YAML: it cannot add keys.
    @Test func valuesCannotChangeTheDocument() throws {
        let sneaky = "x\nbudget:\n  total: [1]\n- y: {z}"
        let dashboard = try parse(config(operatorValue: "\"${WHO}\""), ["WHO": sneaky]).dashboard
        #expect(dashboard.operatorName == sneaky)
    }

    @Test(arguments: [
        ("\"${WHO\"", "closing"),
        ("\"ops-${\"", "closing"),
        ("\"${BAD-NAME}\"", "not a valid"),
        ("\"${}\"", "not a valid"),
        ("\"${ WHO }\"", "not a valid"),
    ])
    func malformedReferences(value: String, word: String) throws {
        let found = errors(config(operatorValue: value), ["WHO": "bob"])
        #expect(found.count == 1)
        let error = try #require(found.first)
        #expect(error.line == 25)
        #expect(error.key == "dashboard.operator")
        #expect(error.message.contains(word), "\(error.message)")
    }

    @Test func secretIsReadFromTheEnvironment() throws {
        let config = try parse(withServicePrincipal(config()), ["SECRET": secretValue], requireAzure: true)
        let azure = try #require(config.azure)
        guard case .clientSecret(let clientID, let secret) = azure.credential else {
            Issue.record("expected a client secret credential, got \(azure.credential)")
            return
        }
        #expect(clientID == "app-id")
        #expect(secret.reveal() == secretValue)
        // Printing the configuration in any way hides it.
        var dumped = ""
        dump(config, to: &dumped)
        for text in [String(describing: config), String(reflecting: config), "\(azure)", dumped] {
            #expect(!text.contains("hunter2"))
        }
        #expect(String(describing: secret) == "<redacted>")
    }

    @Test func secretNeverAppearsInErrors() throws {
        // Other mistakes in the same file: a bad total, a bad duration, an unknown key in azure.
        var yaml = withServicePrincipal(config(total: "lots", operatorValue: "\"${SECRET}-ops\""))
        yaml = yaml.replacingOccurrences(of: "  resource_group: rg\n", with: "  resource_group: rg\n  region: uk\n")
        let found = errors(yaml, ["SECRET": secretValue], requireAzure: true)
        #expect(found.count >= 2)
        #expect(found.contains { $0.key == "budget.total" })
        #expect(found.contains { $0.key == "azure.region" })
        #expect(!ConfigErrors(found).description.contains("hunter2"))
        #expect(!String(reflecting: found).contains("hunter2"))
    }

    @Test func secretWrittenInTheFileWithABrokenReferenceIsNotEchoed() throws {
        let found = errors(withServicePrincipal(config(), secret: "\"hunter2${OOPS\""), [:], requireAzure: true)
        #expect(found.count == 1)
        let error = try #require(found.first)
        #expect(error.key == "azure.client_secret")
        #expect(error.line == 7)
        #expect(error.message.contains("malformed"))
        #expect(!error.description.contains("hunter2"))
    }

    @Test func unsetSecretNamesTheVariable() throws {
        let found = errors(withServicePrincipal(config()), [:], requireAzure: true)
        #expect(found.count == 1)
        let error = try #require(found.first)
        #expect(error.key == "azure.client_secret")
        #expect(error.message.contains("SECRET"))
    }
}
