import Foundation
import QLPAzure
import QLPCore
import Testing

/// Reads another response of an x-ms-examples file (e.g. "default", the error
/// response) by re-serialising it: error bodies carry no numbers that matter.
enum ExampleResponse {
    static func body(of file: [UInt8], status: String) throws -> [UInt8]? {
        guard let object = try JSONSerialization.jsonObject(with: Data(file)) as? [String: Any],
            let responses = object["responses"] as? [String: Any],
            let response = responses[status] as? [String: Any], let body = response["body"]
        else { return nil }
        return Array(try JSONSerialization.data(withJSONObject: body))
    }
}

/// Every JSON file under Fixtures/azure and Fixtures/entra decodes with the
/// decoder its folder calls for; both folders are enumerated, so a new file
/// is a new case, and a new folder fails until it has a decoder here.
@Suite struct AzureFixtureDecodingTests {
    static let azureFiles = FixtureFiles.files(under: "azure", withExtension: "json")
    static let entraFiles = FixtureFiles.files(under: "entra", withExtension: "json")

    @Test func everyAreaIsCopied() {
        let areas = Set(Self.azureFiles.map { $0.split(separator: "/")[1] })
        #expect(
            areas.isSuperset(of: [
                "appinsights-dataplane", "consumption-budgets", "cost-management", "keyvault-secrets",
                "loganalytics-query", "monitor-metrics", "monitor-metrics-batch", "openai-inference",
            ]))
        #expect(Self.azureFiles.count >= 21)
        #expect(Self.entraFiles.count >= 3)
    }

    @Test(arguments: azureFiles)
    func azureExampleDecodes(_ path: String) throws {
        let file = try FixtureFiles.bytes(path)
        let area = String(path.split(separator: "/")[1])
        let name = String(path.split(separator: "/").last!)
        if path.contains("/observed/") {
            // Real bodies users pasted, not x-ms-examples: an error body.
            let error = try #require(AzureWireDecoding.azureError(file))
            #expect(error.code != nil)
            return
        }
        let body = try ExampleBody.bytes(of: file)
        switch area {
        case "monitor-metrics":
            let response = try AzureWireDecoding.metrics(body)
            #expect(!response.value.isEmpty)
            #expect(response.timespan.contains("/"))
            for metric in response.value where metric.failure == nil {
                #expect(!metric.timeseries.isEmpty, "\(metric.name.value) succeeded but has no series")
            }
        case "monitor-metrics-batch":
            let response = try AzureWireDecoding.metricBatch(body)
            #expect(!response.values.isEmpty)
            #expect(response.values.allSatisfy { $0.resourceid != nil && !$0.value.isEmpty })
        case "appinsights-dataplane" where name.hasPrefix("query"), "loganalytics-query":
            let result = try AzureWireDecoding.logQuery(body)
            let table = try #require(result.primary)
            #expect(!table.columns.isEmpty)
            #expect(table.rows.allSatisfy { $0.count == table.columns.count })
        case "appinsights-dataplane":
            let response = try AzureWireDecoding.appInsightsMetric(body)
            #expect(response.value.start != nil && response.value.end != nil)
            #expect(response.value.leafTotal("requests/count", "sum") > 0)
        case "keyvault-secrets":
            let secret = try AzureWireDecoding.keyVaultSecret(body)
            #expect(!secret.value.isEmpty)
            #expect(!"\(secret)".contains(secret.value.reveal()))
        case "openai-inference":
            let completion = try AzureWireDecoding.chatCompletion(body)
            #expect(completion.id.hasPrefix("chatcmpl-"))
            #expect(completion.text?.isEmpty == false)
        case "cost-management" where (try? AzureWireDecoding.costQuery(body)) != nil:
            let result = try AzureWireDecoding.costQuery(body)
            #expect(result.columnIndex("Currency") != nil)
        case "cost-management", "consumption-budgets":
            if (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["value"] != nil {
                #expect(!(try AzureWireDecoding.budgetList(body)).value.isEmpty)
            } else {
                #expect(try AzureWireDecoding.budget(body).properties.amount > 0)
            }
        default:
            Issue.record("no decoder for fixture folder '\(area)' (\(path)): add one to AzureFixtureDecodingTests")
        }
        // An example's error response, where it has one, is an error body we read.
        if let errorBody = try ExampleResponse.body(of: file, status: "default") {
            let error = try #require(AzureWireDecoding.azureError(errorBody), "\(path): the default response is no error body")
            #expect(error.code != nil)
            #expect(error.message?.isEmpty == false)
        }
    }

    @Test(arguments: entraFiles)
    func entraBodyDecodes(_ path: String) throws {
        let body = try FixtureFiles.bytes(path)
        let received = Date(timeIntervalSince1970: 1_506_480_000)
        if path.contains("error") {
            let error = try #require(AzureWireDecoding.tokenError(body))
            #expect(error.error != nil)
            #expect(!error.codes.isEmpty)
        } else {
            let token = try AzureWireDecoding.accessToken(body, receivedAt: received)
            #expect(token.token.reveal() == "sample-access-token-elided")
            #expect(token.expiresOn > received)
            #expect(token.expiresOn.timeIntervalSince(received) < 7200)
        }
    }

    // MARK: - Facts of particular examples

    func body(_ path: String) throws -> [UInt8] { try ExampleBody.bytes(of: try FixtureFiles.bytes(path)) }

    @Test func aPerMetricFailureInsideA200IsSurfacedAndTheOtherMetricKeepsItsData() throws {
        let response = try AzureWireDecoding.metrics(try body("azure/monitor-metrics/2023-10-01/GetMetricError.json"))
        #expect(response.value.count == 2)
        #expect(response.failures.map(\.name) == ["MongoRequestsCount"])
        let failed = try #require(response.metric("MongoRequestsCount"))
        #expect(failed.failure?.hasPrefix("InvalidSamplingType: Sampling type is not found") == true)
        #expect(failed.timeseries.isEmpty)
        let ok = try #require(response.metric("mongorequests"))
        #expect(ok.failure == nil)
        #expect(ok.timeseries.first?.data.first?.average == 0)
        #expect(response.interval == "PT4H")
        #expect(response.cost == 239)
    }

    @Test func metricValuesDimensionsAndTimesAreRead() throws {
        let response = try AzureWireDecoding.metrics(try body("azure/monitor-metrics/2024-02-01/GetMetric.json"))
        #expect(response.namespace == "microsoft.storage/storageaccounts/blobservices")
        #expect(response.resourceregion == "westus2")
        let count = try #require(response.metric("BlobCount"))
        #expect(count.unit == "Count")
        let hot = try #require(count.series(where: "Tier", is: "Hot"))
        #expect(hot.data.count == 5)
        #expect(hot.data[0].timeStamp == AzureTimespan.parse("2021-04-20T09:00:00Z"))
        #expect(hot.data[0].value("average") == 7)
        #expect(hot.data[0].total == nil)
    }

    @Test func the2018ExampleMixesPointsWithAndWithoutAverage() throws {
        let response = try AzureWireDecoding.metrics(try body("azure/monitor-metrics/2018-01-01/GetMetric.json"))
        let points = try #require(response.value.first?.timeseries.first?.data)
        #expect(points[0].average == nil && points[0].count == 0)
        #expect(points[3].average == 0 && points[3].count == 1)
        #expect(response.value.first?.errorCode == nil && response.value.first?.failure == nil)
    }

    @Test func pointsWithOnlyATimeStampDecode() throws {
        let json =
            #"{"timespan":"a/b","value":[{"name":{"value":"cpu_percent"},"unit":"Percent","timeseries":[{"metadatavalues":[],"data":[{"timeStamp":"2026-11-26T17:00:00Z"},{"timeStamp":"2026-11-26T18:00:00.000Z","average":12.5}]}],"errorCode":"Success"}]}"#
        let response = try AzureWireDecoding.metrics(Array(json.utf8))
        let data = try #require(response.value.first?.timeseries.first?.data)
        #expect(!data[0].hasValue)
        #expect(data[1].average == 12.5)
        #expect(data[1].timeStamp.timeIntervalSince(data[0].timeStamp) == 3600)
    }

    @Test func batchEntriesAreFoundByResource() throws {
        let response = try AzureWireDecoding.metricBatch(try body("azure/monitor-metrics-batch/2024-02-01/MetricBatchExample2.json"))
        #expect(response.values.count == 3)
        let redis3 = try #require(
            response.result(
                for: "/subscriptions/12345678-abcd-1234-abcd-123456789abc/resourcegroups/test_redis/providers/Microsoft.Cache/Redis/redis3")
        )
        #expect(redis3.metric("cacheWrite")?.timeseries.first?.data.first?.average == 7135.0625)
        #expect(redis3.interval == "PT4H")
        let error = try #require(
            try ExampleResponse.body(
                of: try FixtureFiles.bytes("azure/monitor-metrics-batch/2024-02-01/MetricBatchExample2.json"),
                status: "default"))
        let decoded = try #require(AzureWireDecoding.azureError(error))
        #expect(decoded.code == "BadRequest")
        #expect(decoded.message?.hasPrefix("Detected invalid time range parameters") == true)
    }

    @Test func appInsightsMetricShapes() throws {
        let plain = try AzureWireDecoding.appInsightsMetric(try body("azure/appinsights-dataplane/v1/metric-get.json")).value
        #expect(plain.value("requests/count", "sum") == 23)
        #expect(plain.startDate == AzureTimespan.parse("2016-01-01T02:00:00Z"))

        let full = try AzureWireDecoding.appInsightsMetric(try body("azure/appinsights-dataplane/v1/metric-get-full.json")).value
        #expect(full.interval == "P1D")
        #expect(full.segments.map { $0.value("requests/count", "sum") } == [4927, 8460, 3743])
        #expect(full.leafTotal("requests/count", "sum") == 17_130)

        let segmented = try AzureWireDecoding.appInsightsMetric(try body("azure/appinsights-dataplane/v1/metric-get-segmented.json")).value
        #expect(segmented.segments.count == 10)
        let home = segmented.segments[0]
        #expect(home.dimensions["operation/name"] == "GET Home/Index")
        // {"requests/count": null, "sum": 156483, "request/success": false}
        #expect(home.segments[0].value("requests/count", "sum") == 156_483)
        #expect(home.segments[0].dimensions["request/success"] == "false")
        #expect(home.segments[1].dimensions["request/success"] == "true")
    }

    @Test func queryCellsAreReadLeniently() throws {
        let table = try #require(try AzureWireDecoding.logQuery(try body("azure/appinsights-dataplane/v1/query-get.json")).primary)
        #expect(table.name == "PrimaryResult")
        #expect(table.rows.count == 2)
        #expect(table.cell(0, "duration")?.double == 3.3833)  // a number sent as a string
        #expect(table.cell(0, "duration")?.decimal == Decimal(string: "3.3833"))
        #expect(table.cell(0, "itemCount")?.int == 1)
        #expect(table.cell(0, "success")?.bool == true)  // "True"
        #expect(table.cell(0, "source")?.isNull == true)
        #expect(table.cell(0, "timestamp")?.date == AzureTimespan.parse("2018-02-01T17:33:09.788Z"))
        let dims = try #require(table.cell(0, "customDimensions")?.json)  // dynamic JSON sent as a string
        #expect(dims["_MS.ProcessedByMetricExtractors"] == .string("(Name:'Requests', Ver:'1.0')"))
        #expect(table.cell(1, "name")?.text == "GET Home/Index")

        let usage = try #require(try AzureWireDecoding.logQuery(try body("azure/loganalytics-query/v1/la-post-example.json")).primary)
        #expect(usage.columns.count == 21)
        #expect(usage.cell(0, "Quantity")?.decimal == Decimal(string: "0.076408"))
        #expect(usage.cell(1, "IsBillable")?.bool == true)
        #expect(usage.cell(0, "LinkedResourceUri")?.isNull == true)
        #expect(usage.cell(0, "TotalBatches")?.int == 1)
    }

    @Test func typedCellsAndPartialErrors() throws {
        let json =
            #"{"tables":[{"name":"PrimaryResult","columns":[{"name":"a","type":"real"},{"name":"b","type":"bool"},{"name":"c","type":"dynamic"},{"name":"d","type":"string"}],"rows":[[1.25,false,{"k":[1,"x",null]},"12abc"]]}],"error":{"code":"PartialError","message":"There were some errors when processing your query."}}"#
        let result = try AzureWireDecoding.logQuery(Array(json.utf8))
        let row = try #require(result.primary?.rows.first)
        #expect(row[0] == .number(Decimal(string: "1.25")!))
        #expect(row[0].double == 1.25)
        #expect(row[1].bool == false)
        #expect(row[2].json?["k"] == .array([.number(1), .string("x"), .null]))
        #expect(row[3].decimal == nil && row[3].double == nil)
        #expect(result.partialError?.hasPrefix("PartialError") == true)
    }

    @Test func keyVaultSecretKeepsItsValueOutOfText() throws {
        let secret = try AzureWireDecoding.keyVaultSecret(try body("azure/keyvault-secrets/7.4/GetSecret-example.json"))
        #expect(secret.value.reveal() == "mysecretvalue")
        #expect(secret.name == "mysecretname")
        #expect(secret.version == "4387e9f3d6e14c459867679a90fd0f79")
        #expect(secret.enabled == true)
        #expect(secret.created == Date(timeIntervalSince1970: 1_493_938_410))
        #expect(secret.recoveryLevel == "Recoverable+Purgeable")
        var dumped = ""
        dump(secret, to: &dumped)
        for text in ["\(secret)", String(describing: secret), String(reflecting: secret), dumped] {
            #expect(!text.contains("mysecretvalue"))
        }
    }

    @Test func chatCompletionExamplesHaveNoObjectOrModel() throws {
        let a = try AzureWireDecoding.chatCompletion(try body("azure/openai-inference/2024-02-15-preview/chat_completions.json"))
        let b = try AzureWireDecoding.chatCompletion(try body("azure/openai-inference/2024-10-21/chat_completions.json"))
        #expect(a == b)
        #expect(a.object == nil && a.model == nil)
        #expect(a.created == 1_686_676_106)
        #expect(a.choices.first?.finishReason == "stop")
        #expect(a.choices.first?.message?.role == "assistant")
        #expect(a.usage?.promptTokens == 33 && a.usage?.completionTokens == 557 && a.usage?.totalTokens == 590)
    }

    @Test func managedIdentityExpiryComesFromExpiresOn() throws {
        let body = try FixtureFiles.bytes("entra/imds-managed-identity-token-response.json")
        // Received long after it was issued: expires_on still says when it ends.
        let token = try AzureWireDecoding.accessToken(body, receivedAt: Date(timeIntervalSince1970: 1_506_483_000))
        #expect(token.expiresOn == Date(timeIntervalSince1970: 1_506_484_173))
    }

    @Test func errorBodiesOfEveryShape() {
        // Monitor's metrics API: top-level code and message (Azure/azure-sdk-for-net#29584).
        let monitor = AzureWireDecoding.azureError(
            Array(#"{"code":"BadRequest","message":"Failed to find metric configuration for provider: microsoft.cache"}"#.utf8))
        #expect(monitor?.code == "BadRequest")
        #expect(monitor?.message?.hasPrefix("Failed to find metric configuration") == true)
        // Log Analytics: the innermost message says what was wrong.
        let query = AzureWireDecoding.azureError(
            Array(
                #"{"error":{"message":"The request had some invalid properties","code":"BadArgumentError","innererror":{"code":"SemanticError","message":"A semantic error occurred.","innererror":{"code":"SEM0100","message":"'Foo' could not be resolved"}}}}"#
                    .utf8))
        #expect(query?.code == "BadArgumentError")
        #expect(query?.message == "The request had some invalid properties: 'Foo' could not be resolved")
        #expect(AzureWireDecoding.azureError(Array("<html>".utf8)) == nil)
        #expect(AzureWireDecoding.azureError(Array("{}".utf8)) == nil)
    }
}
