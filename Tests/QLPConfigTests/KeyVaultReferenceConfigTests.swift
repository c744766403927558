import Foundation
import QLPConfig
import QLPCore
import Testing

@Suite("Config: keyvault:// references")
struct KeyVaultReferenceConfigTests {
    @Test func referencesAreKeptForResolutionAtStartUp() throws {
        let config = try ConfigFixture.outcome([
            "  endpoints:", "    key_vault: https://{vault}.vault.azure.cn/",
            "azure_openai:", "  endpoint: https://qlp.openai.azure.com", "  api_version: 2024-02-01",
            "  api_key: keyvault://qlp-vault/azure-openai-api-key",
        ]).get()
        #expect(config.azureOpenAI?.apiKey?.reveal() == "keyvault://qlp-vault/azure-openai-api-key")
        #expect(config.azure?.endpoints.keyVault == "https://{vault}.vault.azure.cn")
        #expect(config.azure?.endpoints.keyVaultURL(vault: "QLP-Vault") == "https://qlp-vault.vault.azure.cn")
    }

    @Test func thePublicCloudIsTheDefaultVaultHost() throws {
        let config = try ConfigFixture.outcome([]).get()
        #expect(config.azure?.endpoints.keyVaultURL(vault: "qlp-vault") == "https://qlp-vault.vault.azure.net")
    }

    @Test func aMalformedReferenceIsRefusedWithItsLine() {
        let found = ConfigFixture.errors(["mongodb_atlas:", "  connection_string: keyvault://qlp-vault/my_secret"])
        #expect(found.map(\.key) == ["mongodb_atlas.connection_string"])
        #expect(found.first?.line == ConfigFixture.line(1))
        #expect(found.first?.message.contains("secret name 'my_secret'") == true)
    }

    @Test func theClientSecretCannotComeFromKeyVault() {
        let found = ConfigFixture.errors([
            "  credential: client_secret", "  client_id: c1", "  client_secret: keyvault://qlp-vault/sp-secret",
        ])
        #expect(found.map(\.key) == ["azure.client_secret"])
        #expect(found.first?.line == ConfigFixture.line(2))
        #expect(found.first?.message.contains("cannot come from Key Vault") == true)
    }

    @Test func aVaultTemplateTakesOnlyTheVaultPlaceholder() {
        let found = ConfigFixture.errors(["  endpoints:", "    key_vault: https://{name}.vault.azure.net"])
        #expect(found.map(\.key) == ["azure.endpoints.key_vault"])
        #expect(found.first?.message.contains("{vault}") == true)
    }
}
