import Foundation
import QLPAzure
import QLPCore
import QLPHTTP
import Synchronization
import Testing

/// A token source that hands out one fixed token per scope and counts calls.
final class CountingTokenSource: TokenSource {
    let scopes = Mutex<[String]>([])

    func fetchToken(scope: String) async throws(AzureError) -> AccessToken {
        scopes.withLock { $0.append(scope) }
        return AccessToken(token: Secret("token-for-\(scope)"), expiresOn: Date().addingTimeInterval(3600))
    }
}

/// A transport that fails every request as libcurl does when nothing listens.
final class UnreachableTransport: HTTPTransport {
    let calls = Mutex(0)

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        calls.withLock { $0 += 1 }
        throw HTTPTransportError.connectionFailed(endpoint: request.endpoint, detail: "Connection refused")
    }
}

@Suite struct MonitorAndVaultClientTests {
    static let resource = "/subscriptions/s-1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks"

    func metricsBody(_ names: [String]) -> [UInt8] {
        let metrics = names.map {
            #"{"name":{"value":"\#($0)"},"unit":"Percent","timeseries":[{"metadatavalues":[],"data":[{"timeStamp":"2026-11-26T17:00:00Z","average":1.5}]}],"errorCode":"Success"}"#
        }
        return Array(#"{"cost":10,"timespan":"x/y","interval":"PT1H","value":[\#(metrics.joined(separator: ","))]}"#.utf8)
    }

    func names(in url: String) -> [String] {
        let query = URLComponents(string: url)?.queryItems ?? []
        return (query.first { $0.name == "metricnames" }?.value ?? "").split(separator: ",").map(String.init)
    }

    @Test func moreThanTwentyNamesAreAskedInSeveralCallsAndMergedInOrder() async throws {
        let all = (1...45).map { "metric_\($0)" }
        let transport = ScriptedTransport([
            HTTPResponse(status: 200, body: metricsBody(Array(all[0..<20]))),
            HTTPResponse(status: 200, body: metricsBody(Array(all[20..<40]))),
            HTTPResponse(status: 200, body: metricsBody(Array(all[40...]))),
        ])
        let source = CountingTokenSource()
        let client = MonitorMetricsClient(transport: transport, tokens: TokenCache(source: source), management: "https://arm.example.test/")
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let result = try await client.metrics(
            resourceID: Self.resource, names: all, aggregation: ["Average", "Maximum"],
            interval: "PT1H", timespan: (start, start.addingTimeInterval(7200)),
            filter: "node eq '*'")
        #expect(result.value.map(\.name.value) == all)
        #expect(result.cost == 30)
        let requests = transport.requests.withLock { $0 }
        #expect(requests.map { names(in: $0.url).count } == [20, 20, 5])
        let first = try #require(requests.first)
        #expect(
            first.url.hasPrefix("https://arm.example.test\(Self.resource)/providers/Microsoft.Insights/metrics?api-version=2024-02-01&"))
        let query = URLComponents(string: first.url)!.queryItems!
        #expect(query.first { $0.name == "timespan" }?.value == "2026-11-18T11:06:40Z/2026-11-18T13:06:40Z")
        #expect(query.first { $0.name == "aggregation" }?.value == "Average,Maximum")
        #expect(query.first { $0.name == "$filter" }?.value == "node eq '*'")
        #expect(first.headers["Authorization"] == "Bearer token-for-https://management.azure.com/.default")
        #expect(source.scopes.withLock { $0 } == ["https://management.azure.com/.default"])
    }

    @Test func batchUsesTheMetricsScopeAndPostsTheResourceIDs() async throws {
        let body =
            #"{"values":[{"starttime":"a","endtime":"b","resourceid":"/r/2","value":[]},{"starttime":"a","endtime":"b","resourceid":"/r/1","value":[]}]}"#
        let transport = ScriptedTransport([HTTPResponse(status: 200, body: Array(body.utf8))])
        let source = CountingTokenSource()
        let client = MonitorMetricsClient(transport: transport, tokens: TokenCache(source: source), management: "https://arm.example.test")
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let result = try await client.batch(
            endpoint: MonitorMetricsClient.batchEndpoint(region: "UKSouth"), subscriptionID: "s-1",
            resourceIDs: ["/r/1", "/r/2"], namespace: "Microsoft.Cache/Redis", names: ["serverLoad"],
            start: start, end: start.addingTimeInterval(3600))
        #expect(result.values.map(\.resourceid) == ["/r/1", "/r/2"], "in the order asked")
        let request = try #require(transport.requests.withLock { $0.first })
        #expect(request.method == .post)
        #expect(
            request.url.hasPrefix(
                "https://uksouth.metrics.monitor.azure.com/subscriptions/s-1/metrics:getBatch?api-version=2024-02-01&starttime=2026-11-18T11%3A06%3A40.000Z"
            ))
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"resourceids":["/r/1","/r/2"]}"#)
        #expect(source.scopes.withLock { $0 } == [MonitorMetricsClient.batchScope])
    }

    @Test func throttlingAuthenticationAndRefusalsBecomeAzureErrors() async throws {
        let transport = ScriptedTransport([
            HTTPResponse(status: 429, headers: HTTPHeaders([("Retry-After", "17")])),
            HTTPResponse(
                status: 401, body: Array(#"{"error":{"code":"InvalidAuthenticationToken","message":"The access token is invalid."}}"#.utf8)),
            HTTPResponse(
                status: 400,
                body: Array(
                    #"{"code":"BadRequest","message":"Failed to find metric configuration for provider: microsoft.containerservice, resource Type: managedclusters, metric: nope, Valid metrics: a,b"}"#
                        .utf8)),
            HTTPResponse(status: 200, body: Array(#"{"value": [trunc"#.utf8)),
        ])
        let source = CountingTokenSource()
        let client = MonitorMetricsClient(transport: transport, tokens: TokenCache(source: source), management: "https://arm.example.test")
        let span = (Date(timeIntervalSince1970: 1_795_000_000), Date(timeIntervalSince1970: 1_795_003_600))
        do {
            _ = try await client.metrics(resourceID: Self.resource, names: ["a"], timespan: span)
            Issue.record("429 must throw")
        } catch {
            #expect(
                error
                    == .throttled(
                        service: "Azure Monitor", endpoint: "https://arm.example.test\(Self.resource)/providers/Microsoft.Insights/metrics",
                        retryAfter: .seconds(17)))
        }
        do {
            _ = try await client.metrics(resourceID: Self.resource, names: ["a"], timespan: span)
            Issue.record("401 must throw")
        } catch {
            guard case .http(_, _, 401, let code, _, _) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(code == "InvalidAuthenticationToken")
        }
        do {
            _ = try await client.metrics(resourceID: Self.resource, names: ["nope"], timespan: span)
            Issue.record("400 must throw")
        } catch {
            guard case .http(_, _, 400, let code, let message, _) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(code == "BadRequest")
            #expect(message?.contains("metric: nope") == true)
        }
        #expect(source.scopes.withLock { $0.count } == 2, "the 401 made the cache forget the token")
        do {
            _ = try await client.metrics(resourceID: Self.resource, names: ["a"], timespan: span)
            Issue.record("a truncated body must throw")
        } catch {
            guard case .malformedResponse(_, _, 200, let detail, let excerpt) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(detail.contains("not valid JSON"))
            #expect(excerpt.hasPrefix("{\"value\""))
        }
    }

    @Test func aMalformedSecretIsNeverQuoted() async throws {
        let transport = ScriptedTransport([HTTPResponse(status: 200, body: Array(#"{"value":"hunter2-super-secret","id":"#.utf8))])
        let client = KeyVaultClient(transport: transport, tokens: TokenCache(source: CountingTokenSource()))
        do {
            _ = try await client.secret(try KeyVaultReference.parse("keyvault://qlp-vault/openai-key"))
            Issue.record("a truncated body must throw")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
            #expect("\(error)".contains("https://qlp-vault.vault.azure.net/secrets/openai-key"))
            #expect("\(error)".contains("'openai-key'"))
        }
        let request = try #require(transport.requests.withLock { $0.first })
        #expect(request.url == "https://qlp-vault.vault.azure.net/secrets/openai-key?api-version=7.4")
        #expect(request.headers["Authorization"] == "Bearer token-for-https://vault.azure.net/.default")
    }

    @Test func keyVaultReferencesParse() throws {
        let plain = try KeyVaultReference.parse("keyvault://qlp-vault/azure-openai-api-key")
        #expect(plain.vaultURL() == "https://qlp-vault.vault.azure.net")
        let china = AzureEndpoints(
            authority: "https://login.chinacloudapi.cn", management: "https://management.chinacloudapi.cn",
            keyVault: "https://{vault}.vault.azure.cn/")
        #expect(plain.vaultURL(in: china) == "https://qlp-vault.vault.azure.cn")
        let emulator = AzureEndpoints(
            authority: "http://127.0.0.1:8080", management: "http://127.0.0.1:8080", keyVault: "http://127.0.0.1:8080")
        #expect(plain.vaultURL(in: emulator) == "http://127.0.0.1:8080")
        #expect(plain.name == "azure-openai-api-key")
        #expect(plain.version == nil)
        let versioned = try KeyVaultReference.parse("keyvault://QLP-Vault/key/4387e9f3d6e14c459867679a90fd0f79")
        #expect(versioned.vaultURL() == "https://qlp-vault.vault.azure.net")
        #expect(versioned.version == "4387e9f3d6e14c459867679a90fd0f79")
        #expect(versioned.description == "keyvault://QLP-Vault/key/4387e9f3d6e14c459867679a90fd0f79")
        let bad: [(String, String)] = [
            ("https://qlp-vault.vault.azure.net/secrets/x", "must start with keyvault://"),
            ("keyvault://qlp-vault", "names no secret"),
            ("keyvault://qlp-vault/", "secret name is empty"),
            ("keyvault://qv/x", "3 to 24 characters"),
            ("keyvault://qlp-vault.vault.azure.net/x", "letters, digits and dashes"),
            ("keyvault://1vault/x", "must start with a letter"),
            ("keyvault://qlp-vault/my_secret", "secret name 'my_secret'"),
            ("keyvault://qlp-vault/x/latest", "32 hexadecimal digits"),
            ("keyvault://qlp-vault/x/y/z", "too many parts"),
        ]
        for (text, problem) in bad {
            #expect {
                _ = try KeyVaultReference.parse(text)
            } throws: { error in
                "\(error)".contains(problem) && "\(error)".contains(text)
            }
        }
    }

    @Test func noManagedIdentityIsACredentialProblemNamingTheRemedy() async throws {
        let transport = UnreachableTransport()
        let credential = ManagedIdentityCredential(endpoint: "http://127.0.0.1:9", transport: transport, retryDelays: [])
        do {
            _ = try await credential.fetchToken(scope: "https://management.azure.com/.default")
            Issue.record("must throw")
        } catch {
            guard case .credentialUnavailable(let detail) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(detail.hasPrefix("no managed identity on this machine"))
            #expect(error.summary == "no credential")
        }
        #expect(transport.calls.withLock { $0 } == 1, "a missing endpoint is not retried")
    }

    @Test func managedIdentityRetriesWhileIMDSIsUpdatingThenReadsTheStringFields() async throws {
        let body = try FixtureFiles.bytes("entra/imds-managed-identity-token-response.json")
        let transport = ScriptedTransport([HTTPResponse(status: 410), HTTPResponse(status: 503), HTTPResponse(status: 200, body: body)])
        let credential = ManagedIdentityCredential(
            endpoint: "http://imds.example.test/", clientID: "client-9", transport: transport,
            retryDelays: [.milliseconds(1), .milliseconds(1)])
        let token = try await credential.fetchToken(scope: "https://vault.azure.net/.default")
        #expect(token.expiresOn == Date(timeIntervalSince1970: 1_506_484_173))
        let requests = transport.requests.withLock { $0 }
        #expect(requests.count == 3)
        #expect(
            requests[0].url
                == "http://imds.example.test/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&client_id=client-9"
        )
        #expect(requests[0].headers["Metadata"] == "true")
    }

    @Test func anIMDSRefusalIsAnAuthenticationFailureWithWhatToDo() async throws {
        let body = Array(#"{"error":"invalid_request","error_description":"Identity not found"}"#.utf8)
        let transport = ScriptedTransport([HTTPResponse(status: 400, body: body)])
        let credential = ManagedIdentityCredential(endpoint: "http://imds.example.test", clientID: "client-9", transport: transport)
        do {
            _ = try await credential.fetchToken(scope: "https://management.azure.com/.default")
            Issue.record("must throw")
        } catch {
            guard case .authentication(let failure) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(failure.status == 400)
            #expect(failure.error == "managed_identity")
            #expect(failure.remedy.contains("no managed identity with client ID client-9 is assigned to this machine"))
            #expect(error.description.hasPrefix("the managed identity endpoint refused a token"))
        }
    }

    @Test func timespansAreWrittenAndReadInUTC() {
        let date = Date(timeIntervalSince1970: 1_795_000_000.25)
        #expect(AzureTimespan.instant(date) == "2026-11-18T11:06:40Z")
        #expect(AzureTimespan.instant(date, milliseconds: true) == "2026-11-18T11:06:40.250Z")
        #expect(AzureTimespan.parse("2026-11-18T11:06:40.250Z") == date)
        #expect(AzureTimespan.parse("2026-11-18T12:06:40+01:00") == Date(timeIntervalSince1970: 1_795_000_000))
        #expect(AzureTimespan.parse("2026-11-18") == nil)
        #expect(AzureTimespan.parse("2026-11-18T11:06:40Zjunk") == nil)
    }
}
