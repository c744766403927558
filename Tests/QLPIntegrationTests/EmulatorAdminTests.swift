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
            _ = try await h.client.dailyCostsByService(
                scope: h.scope, from: CivilDate(year: 2026, month: 11, day: 1)!,
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
            let set = try await h.transport.send(
                HTTPRequest(
                    method: .put, url: "\(h.base)/_emulator/faults/keyvault",
                    headers: ["Content-Type": "application/json"],
                    body: Array(#"{"status":503}"#.utf8)))
            #expect(set.status == 200)
            let vault = KeyVaultClient(transport: h.transport, tokens: h.tokens)
            await #expect(throws: AzureError.self) { _ = try await vault.secret(name: "azure-openai-api-key", vaultURL: h.base) }
            let unknown = try await h.transport.send(
                HTTPRequest(
                    method: .put, url: "\(h.base)/_emulator/faults/vault",
                    headers: ["Content-Type": "application/json"], body: Array("{}".utf8)))
            #expect(unknown.status == 404)
            #expect(String(decoding: unknown.body, as: UTF8.self).contains("keyvault"))
            _ = try await h.transport.send(HTTPRequest(method: .delete, url: "\(h.base)/_emulator/faults"))
            let secret = try await vault.secret(name: "azure-openai-api-key", vaultURL: h.base)
            #expect(secret.value == Secret(EmulatorConfiguration.demoOpenAIKey))
        }
    }

    @Test func faultSpecsParseAndBadOnesSayWhatIsAllowed() throws {
        let (endpoint, fault) = try FaultSpec.parse("cost.query=status:429,retry-after:30,retry-header:tenant,count:2")
        #expect(endpoint == .costQuery)
        #expect(fault == EndpointFault(status: 429, retryAfterSeconds: 30, remaining: 2, retryHeader: "tenant"))
        #expect(fault.waitHeaders(for: .costQuery).map(\.0) == ["x-ms-ratelimit-microsoft.costmanagement-tenant-retry-after"])
        #expect(
            EndpointFault(retryAfterSeconds: 5).waitHeaders(for: .costQuery).map(\.0)
                == ["Retry-After", "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after"])
        #expect(EndpointFault(retryAfterSeconds: 5).waitHeaders(for: .metrics).map(\.0) == ["Retry-After"])
        let (_, html) = try FaultSpec.parse("metrics.batch=html,latency:200")
        #expect(html == EndpointFault(latencyMilliseconds: 200, wrongContentType: true))
        for (text, words) in [
            ("nowhere=status:500", "ENDPOINT one of token, imds"), ("token=status:abc", "whole number"),
            ("token=explode", "unknown 'explode'"), ("cost.query=retry-header:weekly", "qpu, entity, tenant"),
            // A Retry-After of 2^62 seconds trapped the emulator multiplying it into retry-after-ms.
            ("openai.chat=status:429,retry-after:4611686018427387904", "retry-after must be 0 to 86400 seconds"),
            ("token=latency:9223372036854775807", "latency must be 0 to 600000 milliseconds"),
        ] {
            #expect { _ = try FaultSpec.parse(text) } throws: { "\($0)".contains(words) }
        }
    }

    @Test func aBadFaultBodyIsRefusedNamingTheField() async throws {
        try await withHarness { h in
            let answer = try await h.transport.send(
                HTTPRequest(
                    method: .put, url: "\(h.base)/_emulator/faults/cost.query",
                    headers: ["Content-Type": "application/json"],
                    body: Array(#"{"retry_after":5,"retry_header":"weekly"}"#.utf8)))
            #expect(answer.status == 400)
            #expect(String(decoding: answer.body, as: UTF8.self).contains("retry_header"))
            let huge = try await h.transport.send(
                HTTPRequest(
                    method: .put, url: "\(h.base)/_emulator/faults/openai.chat",
                    headers: ["Content-Type": "application/json"],
                    body: Array(#"{"status":429,"retry_after":4611686018427387904}"#.utf8)))
            #expect(huge.status == 400)
            #expect(String(decoding: huge.body, as: UTF8.self).contains("retry_after"))
        }
    }
}
