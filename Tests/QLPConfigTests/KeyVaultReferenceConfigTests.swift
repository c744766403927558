import Foundation
import QLPConfig
import QLPCore
import Testing

/// A budget and an azure section; tests append lines after it.
private let base = """
budget:
  total: 5000.00
  credit_start: 2026-10-01
  credit_expiry: 2027-09-30
  monthly:
    amount: 1000.00
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
azure:
  tenant_id: t1
  subscription_id: s1
  resource_group: rg

"""
/// The file line of the appended line at `index` (from 0).
private func line(_ index: Int) -> Int { base.split(separator: "\n", omittingEmptySubsequences: false).count + index }

private func outcome(_ lines: [String]) -> Result<QLPConfiguration, ConfigErrors> {
    let yaml = base + lines.joined(separator: "\n") + "\n"
    do {
        return .success(try ConfigParser(environment: [:], requireAzure: true).parse(yaml: yaml, file: "kv.yaml"))
    } catch {
        return .failure(error)
    }
}

private func errors(_ lines: [String]) -> [ConfigError] {
    if case .failure(let failure) = outcome(lines) { return failure.errors }
    return []
}

@Suite("Config: keyvault:// references")
struct KeyVaultReferenceConfigTests {
    @Test func referencesAreKeptForResolutionAtStartUp() throws {
        let config = try outcome(["  endpoints:", "    key_vault: https://{vault}.vault.azure.cn/",
                                  "azure_openai:", "  endpoint: https://qlp.openai.azure.com", "  api_version: 2024-02-01",
                                  "  api_key: keyvault://qlp-vault/azure-openai-api-key"]).get()
        #expect(config.azureOpenAI?.apiKey?.reveal() == "keyvault://qlp-vault/azure-openai-api-key")
        #expect(config.azure?.endpoints.keyVault == "https://{vault}.vault.azure.cn")
        #expect(config.azure?.endpoints.keyVaultURL(vault: "QLP-Vault") == "https://qlp-vault.vault.azure.cn")
    }

    @Test func thePublicCloudIsTheDefaultVaultHost() throws {
        let config = try outcome([]).get()
        #expect(config.azure?.endpoints.keyVaultURL(vault: "qlp-vault") == "https://qlp-vault.vault.azure.net")
    }

    @Test func aMalformedReferenceIsRefusedWithItsLine() {
        let found = errors(["mongodb_atlas:", "  connection_string: keyvault://qlp-vault/my_secret"])
        #expect(found.map(\.key) == ["mongodb_atlas.connection_string"])
        #expect(found.first?.line == line(1))
        #expect(found.first?.message.contains("secret name 'my_secret'") == true)
    }

    @Test func theClientSecretCannotComeFromKeyVault() {
        let found = errors(["  credential: client_secret", "  client_id: c1", "  client_secret: keyvault://qlp-vault/sp-secret"])
        #expect(found.map(\.key) == ["azure.client_secret"])
        #expect(found.first?.line == line(2))
        #expect(found.first?.message.contains("cannot come from Key Vault") == true)
    }

    @Test func aVaultTemplateTakesOnlyTheVaultPlaceholder() {
        let found = errors(["  endpoints:", "    key_vault: https://{name}.vault.azure.net"])
        #expect(found.map(\.key) == ["azure.endpoints.key_vault"])
        #expect(found.first?.message.contains("{vault}") == true)
    }
}
