import Foundation
import QLPAzure
import QLPCore
import QLPEmulator
import QLPHTTP
import Testing

extension EmulatorHarness {
    var appInsights: AppInsightsClient { AppInsightsClient(transport: transport, tokens: tokens, endpoint: base) }
    var logAnalytics: LogAnalyticsClient { LogAnalyticsClient(transport: transport, tokens: tokens, endpoint: base) }
    var keyVault: KeyVaultClient { KeyVaultClient(transport: transport, tokens: tokens) }
    var appID: String { emulator.configuration.appInsightsAppID }
}

/// Application Insights metrics and queries, Log Analytics queries.
@Suite struct InsightsPathTests {
    @Test func appInsightsMetricWithAndWithoutInterval() async throws {
        try await withHarness { h in
            let plain = try await h.appInsights.metric(appID: h.appID, metricID: "requests/count", timespan: "PT12H")
            let total = try #require(plain.value.value("requests/count", "sum"))
            #expect(total > 100 && total.rounded() == total)
            #expect(plain.value.endDate == EmulatorHarness.clock)
            #expect(plain.value.startDate == EmulatorHarness.clock.addingTimeInterval(-12 * 3600))

            let split = try await h.appInsights.metric(appID: h.appID, metricID: "requests/count", timespan: "P2D", interval: "P1D")
            #expect(split.value.interval == "P1D")
            #expect(split.value.segments.count == 3)  // a partial day, a whole day, a partial day (as metric-get-full.json)
            #expect(
                split.value.segments[1].startDate
                    == CivilDate(year: 2026, month: 11, day: 25)!.startInstant(in: TimeZone(identifier: "UTC")!))
            #expect(split.value.segments.allSatisfy { ($0.value("requests/count", "sum") ?? 0) > 0 })

            // Key sets as Microsoft's examples.
            let token = try await h.tokens.token(for: AppInsightsClient.scope)
            for (query, example) in [("timespan=P2D", "metric-get.json"), ("timespan=P2D&interval=P1D", "metric-get-full.json")] {
                let raw = try await h.transport.send(
                    HTTPRequest(
                        url: "\(h.base)/v1/apps/\(h.appID)/metrics/requests%2Fcount?\(query)",
                        headers: ["Authorization": "Bearer \(token.token.reveal())"]))
                #expect(raw.status == 200)
                let ours = try h.json(raw)["value"]
                let theirs = try MicrosoftExample.body("azure/appinsights-dataplane/v1/\(example)")["value"]
                #expect(keys(ours) == keys(theirs), "\(example)")
                if let segment = ((ours as? [String: Any])?["segments"] as? [Any])?.first {
                    #expect(keys(segment) == keys(((theirs as? [String: Any])?["segments"] as? [Any])?.first))
                }
            }
        }
    }

    @Test func segmentsNestByDimensionAndAddUp() async throws {
        try await withHarness { h in
            let plain = try await h.appInsights.metric(appID: h.appID, metricID: "requests/count", timespan: "PT6H")
            let segmented = try await h.appInsights.metric(
                appID: h.appID, metricID: "requests/count", timespan: "PT6H",
                segment: ["operation/name", "request/success"])
            let operations = segmented.value.segments
            #expect(operations.compactMap { $0.dimensions["operation/name"] }.contains("POST /api/generate"))
            #expect(operations.allSatisfy { $0.segments.map { $0.dimensions["request/success"] } == ["true", "false"] })
            let total = try #require(plain.value.value("requests/count", "sum"))
            let leaves = segmented.value.leafTotal("requests/count", "sum")
            #expect(abs(leaves - total) <= 10, "\(leaves) vs \(total)")

            let custom = try await h.appInsights.metric(
                appID: h.appID, metricID: "customMetrics/ai_model_response_time",
                timespan: "PT1H", aggregation: ["avg", "max"])
            let average = try #require(custom.value.value("customMetrics/ai_model_response_time", "avg"))
            #expect(average > 300 && average < 10_000)
            #expect(try #require(custom.value.value("customMetrics/ai_model_response_time", "max")) >= average)

            do {
                _ = try await h.appInsights.metric(appID: h.appID, metricID: "requests/nonsense")
                Issue.record("an unknown metric must fail")
            } catch let error as AzureError {
                guard case .http(_, _, 400, let code, let message, _) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(code == "BadArgumentError")
                #expect(message?.contains("requests/nonsense") == true)
            }
        }
    }

    @Test func appInsightsQueriesByPostAndGet() async throws {
        try await withHarness { h in
            let requests = try #require(try await h.appInsights.query(appID: h.appID, "requests | take 5", timespan: "PT6H").primary)
            #expect(requests.rows.count == 5)
            let example = try MicrosoftExample.body("azure/appinsights-dataplane/v1/query-get.json")
            let exampleColumns = Set(
                ((example["tables"] as? [[String: Any]])?.first?["columns"] as? [[String: String]])?.compactMap { $0["name"] } ?? [])
            #expect(Set(requests.columns.map(\.name)).isSubset(of: exampleColumns))
            for row in 0..<5 {
                #expect((requests.cell(row, "duration")?.double ?? 0) > 0)  // "123.4": a number as a string, as in the example
                #expect((requests.cell(row, "itemCount")?.int ?? 0) >= 1)
                #expect(requests.cell(row, "success")?.bool != nil)
                #expect(requests.cell(row, "customDimensions")?.json?["environment"] == .string("production"))
                let when = try #require(requests.cell(row, "timestamp")?.date)
                #expect(when <= EmulatorHarness.clock && when >= EmulatorHarness.clock.addingTimeInterval(-6 * 3600 - 600))
            }

            let metrics = try #require(
                try await h.appInsights.query(
                    appID: h.appID, "customMetrics | where name == 'ai_model_response_time' | take 3", timespan: "PT6H", method: .get
                ).primary)
            #expect(metrics.rows.count == 3)
            #expect(metrics.rows.allSatisfy { $0[metrics.columnIndex("name")!] == .string("ai_model_response_time") })
            guard case .number = try #require(metrics.cell(0, "value")) else {
                Issue.record("customMetrics values are typed numbers")
                return
            }
            #expect(metrics.cell(0, "customDimensions")?.json?["environment"] == .string("production"))

            do {
                _ = try await h.appInsights.query(appID: h.appID, "pageViews | take 1")
                Issue.record("an unknown table must fail")
            } catch let error as AzureError {
                guard case .http(_, _, 400, let code, let message, _) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(code == "BadArgumentError")
                #expect(message?.contains("Failed to resolve table or column expression named 'pageViews'") == true)
            }
        }
    }

    @Test func logAnalyticsQueryInTheExamplesShape() async throws {
        try await withHarness { h in
            let workspace = h.emulator.configuration.logAnalyticsWorkspaceID
            let result = try await h.logAnalytics.query(workspaceID: workspace, "Usage | take 10", timespan: "PT12H")
            let usage = try #require(result.primary)
            #expect(usage.name == "PrimaryResult")
            #expect(usage.rows.count == 10)
            let example = try MicrosoftExample.body("azure/loganalytics-query/v1/la-post-example.json")
            let exampleTable = try #require((example["tables"] as? [[String: Any]])?.first)
            let exampleColumns = (exampleTable["columns"] as? [[String: String]])?.map { [$0["name"]!, $0["type"]!] } ?? []
            #expect(usage.columns.map { [$0.name, $0.type ?? ""] } == exampleColumns)
            #expect(usage.rows.allSatisfy { ($0[usage.columnIndex("Quantity")!].decimal ?? 0) > 0 })
            #expect(usage.cell(0, "IsBillable")?.bool == true)

            let count = try await h.logAnalytics.query(workspaceID: workspace, "AppRequests | count", timespan: "PT1H")
            #expect((count.primary?.cell(0, "Count")?.int ?? 0) > 0)
            let typed = try await h.logAnalytics.query(workspaceID: workspace, "AppRequests | project Name, Success, DurationMs | take 2")
            #expect(typed.primary?.columns.map(\.name) == ["Name", "Success", "DurationMs"])
            guard case .bool = try #require(typed.primary?.cell(0, "Success")) else {
                Issue.record("AppRequests.Success is a JSON bool")
                return
            }

            do {
                _ = try await h.logAnalytics.query(workspaceID: "00000000-0000-0000-0000-000000000000", "Usage")
                Issue.record("an unknown workspace must fail")
            } catch let error as AzureError {
                guard case .http(_, _, 404, let code, _, _) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(code == "WorkspaceNotFoundError")
            }
        }
    }
}

/// Key Vault: the emulator stands in for the vault.
@Suite struct KeyVaultPathTests {
    @Test func aSecretRoundTripsByNameAndByVersion() async throws {
        try await withHarness { h in
            let expected = try #require(h.emulator.configuration.secrets["azure-openai-api-key"])
            let secret = try await h.keyVault.secret(name: "azure-openai-api-key", vaultURL: h.base)
            #expect(secret.value == Secret(expected))
            #expect(secret.name == "azure-openai-api-key")
            let version = try #require(secret.version)
            #expect(version.count == 32 && version.allSatisfy(\.isHexDigit))
            #expect(secret.enabled == true)
            #expect(!"\(secret)".contains(expected))

            let again = try await h.keyVault.secret(name: "azure-openai-api-key", version: version, vaultURL: h.base)
            #expect(again == secret)

            let raw = try await h.rawGET("/secrets/azure-openai-api-key?api-version=7.4", scope: KeyVaultClient.scope)
            let example = try MicrosoftExample.body("azure/keyvault-secrets/7.4/GetSecret-example.json")
            let body = try h.json(raw)
            #expect(keys(body) == keys(example))
            #expect(keys(body["attributes"]) == keys(example["attributes"]))
        }
    }

    @Test func errorsNameTheVaultAndSecretButNeverAValue() async throws {
        try await withHarness { h in
            let values = Array(h.emulator.configuration.secrets.values)
            var texts: [String] = []
            do {
                _ = try await h.keyVault.secret(name: "no-such-secret", vaultURL: h.base)
                Issue.record("a missing secret must fail")
            } catch let error as AzureError {
                guard case .http(_, let endpoint, 404, let code, _, _) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(code == "SecretNotFound")
                #expect(endpoint == "\(h.base)/secrets/no-such-secret")
                texts.append("\(error)")
            }
            do {
                _ = try await h.keyVault.secret(name: "azure-openai-api-key", version: String(repeating: "0", count: 32), vaultURL: h.base)
                Issue.record("a missing version must fail")
            } catch {
                texts.append("\(error)")
            }
            h.emulator.faults.set(EndpointFault(malformedBody: true, remaining: 1), for: .keyVault)
            do {
                _ = try await h.keyVault.secret(name: "azure-openai-api-key", vaultURL: h.base)
                Issue.record("a cut body must fail")
            } catch let error as AzureError {
                guard case .malformedResponse(_, _, _, _, let excerpt) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(excerpt.isEmpty)
                texts.append("\(error)")
                texts.append(error.summary)
            }
            #expect(texts.count == 4)
            for text in texts {
                #expect(text.contains("azure-openai-api-key") || text.contains("no-such-secret") || text == "malformed response")
                for value in values { #expect(!text.contains(value), "a secret value leaked into: \(text)") }
            }
        }
    }
}

/// Managed identity through the emulator's IMDS (never 169.254.169.254 in tests).
@Suite struct ManagedIdentityPathTests {
    @Test func aManagedIdentityTokenWorksAgainstTheEmulatedAPIs() async throws {
        try await withHarness { h in
            let credential = ManagedIdentityCredential(
                endpoint: h.base, transport: h.transport, retryDelays: [],
                clock: { EmulatorHarness.clock })
            let token = try await credential.fetchToken(scope: "https://management.azure.com/.default")
            #expect(token.expiresOn == EmulatorHarness.clock.addingTimeInterval(3599))
            let tokens = TokenCache(source: credential, clock: { EmulatorHarness.clock })
            let monitor = MonitorMetricsClient(transport: h.transport, tokens: tokens, management: h.base)
            let result = try await monitor.metrics(
                resourceID: try h.resourceID("qlp-functions"), names: ["FunctionExecutionCount"],
                timespan: (EmulatorHarness.clock.addingTimeInterval(-3600), EmulatorHarness.clock))
            #expect(result.value.first?.failure == nil)

            let other = ManagedIdentityCredential(
                endpoint: h.base, clientID: h.emulator.configuration.managedIdentityClientID,
                transport: h.transport, retryDelays: [])
            _ = try await other.fetchToken(scope: KeyVaultClient.scope)
        }
    }

    @Test func theMetadataHeaderIsRequired() async throws {
        try await withHarness { h in
            let url = "\(h.base)/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F"
            let refused = try await h.transport.send(HTTPRequest(url: url))
            #expect(refused.status == 400)
            let error = try h.json(refused)
            #expect(error["error"] as? String == "invalid_request")
            #expect(error["error_description"] as? String == "Required metadata header not specified")

            let answered = try await h.transport.send(HTTPRequest(url: url, headers: ["Metadata": "true"]))
            #expect(answered.status == 200)
            let body = try h.json(answered)
            let example = try #require(try MicrosoftExample.file("entra/imds-managed-identity-token-response.json") as? [String: Any])
            #expect(keys(body) == keys(example))
            for field in ["expires_in", "expires_on", "not_before"] {
                #expect(body[field] is String, "\(field) is a string, as IMDS sends it")
            }
            #expect(body["resource"] as? String == "https://management.azure.com/")
        }
    }

    @Test func anUnknownIdentityIsRefusedWithARemedy() async throws {
        try await withHarness { h in
            let credential = ManagedIdentityCredential(
                endpoint: h.base, clientID: "11111111-2222-3333-4444-555555555555",
                transport: h.transport, retryDelays: [])
            do {
                _ = try await credential.fetchToken(scope: "https://management.azure.com/.default")
                Issue.record("must throw")
            } catch let error as AzureError {
                guard case .authentication(let failure) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(failure.status == 400)
                #expect(failure.message?.hasPrefix("Identity not found") == true)
                #expect(failure.remedy.hasPrefix("no managed identity with client ID 11111111-2222-3333-4444-555555555555"))
            }
        }
    }
}
