import Foundation
import QLPConfig
import QLPCore
import Testing

/// azure.credential's new words and azure_openai.auth.
@Suite struct AzureIdentityConfigTests {
    @Test(arguments: [("workload_identity", AzureCredentialSource.workloadIdentity), ("certificate", .certificate)])
    func credentialWords(word: String, source: AzureCredentialSource) throws {
        let config = try ConfigFixture.outcome(["  credential: \(word)"]).get()
        #expect(config.azure?.credential == source)
        #expect(source.name == word)
    }

    @Test func anUnknownCredentialListsTheNewWords() {
        let errors = ConfigFixture.errors(["  credential: kubelet"])
        #expect(errors.count == 1)
        #expect(errors.first?.description.contains("workload_identity, certificate") == true, "\(errors)")
    }

    static func azureOpenAI(_ lines: [String]) -> [String] {
        ["azure_openai:", "  endpoint: https://qlp.openai.azure.com", "  api_version: 2024-10-21"] + lines
    }

    @Test func entraAuthIsReadAndKeysAreTheDefault() throws {
        let entra = try ConfigFixture.outcome(Self.azureOpenAI(["  auth: entra"])).get()
        #expect(entra.azureOpenAI?.auth == .entra)
        let keyed = try ConfigFixture.outcome(Self.azureOpenAI(["  api_key: k"])).get()
        #expect(keyed.azureOpenAI?.auth == .apiKey)
    }

    @Test func entraWithAKeyOrAnUnknownWordIsRefusedWhereItIsWritten() {
        let both = ConfigFixture.errors(Self.azureOpenAI(["  api_key: k", "  auth: entra"]))
        #expect(both.count == 1)
        #expect(both.first?.description.contains("remove api_key") == true, "\(both)")
        #expect(both.first?.line == ConfigFixture.line(4), "\(both)")
        let unknown = ConfigFixture.errors(Self.azureOpenAI(["  auth: oauth"]))
        #expect(unknown.first?.description.contains("expected api_key or entra, found 'oauth'") == true, "\(unknown)")
    }
}
