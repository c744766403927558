import Foundation
import QLPAzure
import QLPCore
import QLPEmulator
import QLPHTTP
import Testing

/// /_emulator/...: what another process (a demo, a shell) uses to set faults
/// and read what was asked of the emulator.
@Suite struct EmulatorAdminTests {
    func json(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func requestsCountsPerEndpointAndPeaks() async throws {
        try await withHarness { h in
            _ = try await h.client.dailyCostsByService(scope: h.scope, from: CivilDate(year: 2026, month: 11, day: 1)!,
                                                       to: CivilDate(year: 2026, month: 11, day: 25)!)
            let answer = try json(try await h.transport.send(HTTPRequest(method: .get, url: "\(h.base)/_emulator/requests")))
            #expect(answer["token"] as? Int == 1)
            #expect((answer["cost.query"] as? Int ?? 0) >= 1)
            #expect(answer["keyvault"] as? Int == 0)
            #expect((answer["max_concurrent"] as? Int ?? 0) >= 1)
            #expect((answer["max_connections"] as? Int ?? 0) >= 1)
            #expect((answer["connections_opened"] as? Int ?? 0) >= 1)
        }
    }

    @Test func aFaultSetOverHTTPIsServedAndCleared() async throws {
        try await withHarness { h in
            let set = try await h.transport.send(HTTPRequest(method: .put, url: "\(h.base)/_emulator/faults/keyvault",
                                                             headers: ["Content-Type": "application/json"],
                                                             body: Array(#"{"status":503}"#.utf8)))
            #expect(set.status == 200)
            let vault = KeyVaultClient(transport: h.transport, tokens: h.tokens)
            await #expect(throws: AzureError.self) { _ = try await vault.secret(name: "azure-openai-api-key", vaultURL: h.base) }
            let unknown = try await h.transport.send(HTTPRequest(method: .put, url: "\(h.base)/_emulator/faults/vault",
                                                                 headers: ["Content-Type": "application/json"], body: Array("{}".utf8)))
            #expect(unknown.status == 404)
            #expect(String(decoding: unknown.body, as: UTF8.self).contains("keyvault"))
            _ = try await h.transport.send(HTTPRequest(method: .delete, url: "\(h.base)/_emulator/faults"))
            let secret = try await vault.secret(name: "azure-openai-api-key", vaultURL: h.base)
            #expect(secret.value == Secret("emu-aoai-key-4c1f9e0b7d2a46e8"))
        }
    }
}
