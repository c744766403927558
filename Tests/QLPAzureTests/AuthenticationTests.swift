import Foundation
import QLPAzure
import QLPCore
import QLPHTTP
import Synchronization
import Testing

/// A transport that answers from a script and records what was asked.
final class ScriptedTransport: HTTPTransport {
    let replies: Mutex<[HTTPResponse]>
    let requests = Mutex<[HTTPRequest]>([])

    init(_ replies: [HTTPResponse]) { self.replies = Mutex(replies) }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        requests.withLock { $0.append(request) }
        try await Task.sleep(for: .milliseconds(20))  // long enough for callers to pile up
        return replies.withLock { $0.isEmpty ? HTTPResponse(status: 599) : $0.removeFirst() }
    }
}

@Suite struct AuthenticationTests {
    func credential(_ transport: ScriptedTransport) -> ClientSecretCredential {
        ClientSecretCredential(
            authority: "https://login.example.test/", tenantID: "tenant-1", clientID: "client-1",
            clientSecret: Secret("s3cret value&=+"), transport: transport)
    }

    @Test func sendsTheDocumentedFormAndReadsTheToken() async throws {
        let body = try FixtureFiles.bytes("entra/client-credentials-token-response.json")
        let transport = ScriptedTransport([HTTPResponse(status: 200, body: body)])
        let before = Date()
        let token = try await credential(transport).fetchToken(scope: "https://management.azure.com/.default")
        #expect(token.token.reveal() == "sample-access-token-elided")
        #expect(token.expiresOn.timeIntervalSince(before) > 3590 && token.expiresOn.timeIntervalSince(before) < 3610)
        let request = try #require(transport.requests.withLock { $0.first })
        #expect(request.url == "https://login.example.test/tenant-1/oauth2/v2.0/token")
        #expect(request.method == .post)
        #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded")
        let form = String(decoding: request.body, as: UTF8.self)
        #expect(
            form
                == "client_id=client-1&scope=https%3A%2F%2Fmanagement.azure.com%2F.default&client_secret=s3cret%20value%26%3D%2B&grant_type=client_credentials"
        )
    }

    @Test func entraRefusalCarriesTheAADSTSCodeAndARemedyButNoSecret() async throws {
        let body = try FixtureFiles.bytes("entra/client-credentials-token-error-400.json")
        let transport = ScriptedTransport([HTTPResponse(status: 400, body: body)])
        do {
            _ = try await credential(transport).fetchToken(scope: "https://foo.microsoft.com/.default")
            Issue.record("a 400 must throw")
        } catch {
            guard case .authentication(let failure) = error else {
                Issue.record("expected .authentication, got \(error)")
                return
            }
            #expect(failure.code == 70011)
            #expect(failure.error == "invalid_scope")
            #expect(failure.message?.hasPrefix("AADSTS70011: The provided value") == true)
            #expect(!failure.message!.contains("Trace ID"))
            #expect(error.description.contains("scope"))
            #expect(!error.description.contains("s3cret"))
            #expect(error.summary == "sign-in failed (AADSTS70011)")
        }
    }

    @Test func managedIdentityStyleStringLifetimesAreRead() async throws {
        let body = try FixtureFiles.bytes("entra/imds-managed-identity-token-response.json")
        let transport = ScriptedTransport([HTTPResponse(status: 200, body: body)])
        let before = Date()
        let token = try await credential(transport).fetchToken(scope: "https://management.azure.com/.default")
        #expect(token.expiresOn.timeIntervalSince(before) > 3590)
    }

    @Test func concurrentCallersShareOneTokenRequest() async throws {
        let body = try FixtureFiles.bytes("entra/client-credentials-token-response.json")
        let transport = ScriptedTransport([HTTPResponse(status: 200, body: body), HTTPResponse(status: 200, body: body)])
        let cache = TokenCache(source: credential(transport))
        try await withThrowingTaskGroup(of: AccessToken.self) { group in
            for _ in 0..<10 { group.addTask { try await cache.token(for: "https://management.azure.com/.default") } }
            for try await _ in group {}
        }
        #expect(transport.requests.withLock { $0.count } == 1)
        _ = try await cache.token(for: "https://management.azure.com/.default")
        #expect(transport.requests.withLock { $0.count } == 1, "a fresh token is reused")
    }

    @Test func tokensAreRenewedBeforeTheyExpire() async throws {
        let body = try FixtureFiles.bytes("entra/client-credentials-token-response.json")
        let transport = ScriptedTransport([HTTPResponse(status: 200, body: body), HTTPResponse(status: 200, body: body)])
        // One clock for the credential (expiry) and the cache (now), so the
        // test does not depend on how long the machine takes.
        let now = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        let clock: @Sendable () -> Date = { now.withLock { $0 } }
        let source = ClientSecretCredential(
            authority: "https://login.example.test/", tenantID: "tenant-1", clientID: "client-1",
            clientSecret: Secret("s"), transport: transport, clock: clock)
        let cache = TokenCache(source: source, refreshMargin: .seconds(300), clock: clock)
        _ = try await cache.token(for: "scope/.default")
        now.withLock { $0 = $0.addingTimeInterval(3599 - 301) }  // 301 s left: still outside the margin
        _ = try await cache.token(for: "scope/.default")
        #expect(transport.requests.withLock { $0.count } == 1)
        now.withLock { $0 = $0.addingTimeInterval(2) }  // 299 s left: inside the 5-minute margin
        _ = try await cache.token(for: "scope/.default")
        #expect(transport.requests.withLock { $0.count } == 2)
    }

    @Test func environmentCredentialNamesWhatIsMissing() {
        do {
            _ = try EnvironmentCredential.make(
                environment: ["AZURE_CLIENT_ID": "x"], defaultAuthority: "https://login.microsoftonline.com",
                configuredTenant: nil, transport: ScriptedTransport([]), timeout: .seconds(5))
            Issue.record("missing variables must throw")
        } catch {
            #expect(error.description.contains("AZURE_TENANT_ID"))
            #expect(error.description.contains("AZURE_CLIENT_SECRET"))
            #expect(!error.description.contains("AZURE_CLIENT_ID,"))
        }
    }

    @Test func secretsNeverPrint() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(AccessToken(token: secret, expiresOn: Date(timeIntervalSince1970: 0)), to: &dumped)
        #expect(!dumped.contains("hunter2"))
    }
}
