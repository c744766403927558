import Foundation
import QLPAzure
import QLPCore
import QLPEmulator
import QLPHTTP
import Testing

/// Microsoft's x-ms-examples copied for the QLPAzureTests fixtures, read for
/// their shapes (key sets), not their numbers.
enum MicrosoftExample {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../QLPAzureTests/Fixtures").standardized

    static func file(_ relative: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent(relative)))
    }

    /// responses[status].body of an x-ms-examples file.
    static func body(_ relative: String, status: String = "200") throws -> [String: Any] {
        let object = try #require(try file(relative) as? [String: Any])
        let responses = try #require(object["responses"] as? [String: Any])
        let response = try #require(responses[status] as? [String: Any])
        return try #require(response["body"] as? [String: Any])
    }
}

extension EmulatorHarness {
    var subscriptionID: String { emulator.configuration.subscriptionID }

    func resourceID(_ name: String) throws -> String {
        try #require(emulator.configuration.resources.first { $0.name == name }).id(subscriptionID: subscriptionID)
    }

    var monitor: MonitorMetricsClient { MonitorMetricsClient(transport: transport, tokens: tokens, management: base) }

    /// A raw GET with a management token, for shape checks.
    func rawGET(_ pathAndQuery: String, scope: String = AzureEndpoints.publicCloud.managementScope) async throws -> HTTPResponse {
        let token = try await tokens.token(for: scope)
        return try await transport.send(
            HTTPRequest(
                method: .get, url: base + pathAndQuery,
                headers: ["Authorization": "Bearer \(token.token.reveal())"]))
    }

    func json(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }
}

func keys(_ value: Any?) -> Set<String> { Set((value as? [String: Any])?.keys.map { $0 } ?? []) }

/// Azure Monitor metrics, definitions and batch: real client, real transport,
/// the emulator's world on loopback.
@Suite struct MonitorPathTests {
    static let clock = EmulatorHarness.clock

    @Test func resourceMetricsRoundTripInTheShapeOfMicrosoftsExample() async throws {
        try await withHarness { h in
            let redis = try h.resourceID("qlp-redis")
            let span = (Self.clock.addingTimeInterval(-6 * 3600), Self.clock)
            let result = try await h.monitor.metrics(
                resourceID: redis, names: ["usedmemorypercentage", "serverLoad"],
                aggregation: ["Average", "Maximum"], interval: "PT1H", timespan: span)
            #expect(result.value.map(\.name.value) == ["usedmemorypercentage", "serverLoad"])
            #expect(result.namespace == "microsoft.cache/redis")
            #expect(result.resourceregion == "uksouth")
            #expect(result.interval == "PT1H")
            #expect(result.failures.isEmpty)
            for metric in result.value {
                #expect(metric.unit == "Percent")
                let points = try #require(metric.timeseries.first?.data)
                #expect(points.count == 7)  // 11:00 ... 17:00, aligned to the hour
                #expect(points.first?.timeStamp == AzureTimespan.parse("2026-11-26T11:00:00Z"))
                for point in points {
                    let average = try #require(point.average)
                    #expect(average > 0 && average <= 100)
                    #expect(try #require(point.maximum) >= average)
                    #expect(point.total == nil && point.count == nil)
                }
            }

            // The same keys as Microsoft's GetMetric.json (2024-02-01).
            let example = try MicrosoftExample.body("azure/monitor-metrics/2024-02-01/GetMetric.json")
            let raw = try await h.rawGET(
                "\(redis)/providers/Microsoft.Insights/metrics?api-version=2024-02-01"
                    + "&timespan=\(AzureTimespan.between(span.0, span.1))&interval=PT1H&metricnames=serverLoad&aggregation=average,minimum,maximum"
            )
            #expect(raw.status == 200)
            let body = try h.json(raw)
            #expect(keys(body) == keys(example))
            let metric = try #require((body["value"] as? [Any])?.first)
            let exampleMetric = try #require((example["value"] as? [Any])?.first)
            #expect(keys(metric) == keys(exampleMetric))
            let series = try #require(((metric as? [String: Any])?["timeseries"] as? [Any])?.first)
            let exampleSeries = try #require(((exampleMetric as? [String: Any])?["timeseries"] as? [Any])?.first)
            #expect(keys(series) == keys(exampleSeries))
            let point = try #require(((series as? [String: Any])?["data"] as? [Any])?.first)
            let examplePoint = try #require(((exampleSeries as? [String: Any])?["data"] as? [Any])?.first)
            #expect(keys(point) == keys(examplePoint))
        }
    }

    @Test func moreThanTwentyMetricsAreSplitIntoCallsAndMerged() async throws {
        try await withHarness { h in
            let aks = try h.resourceID("qlp-aks")
            let definitions = try await h.monitor.definitions(resourceID: aks)
            let names = definitions.map(\.name.value)
            #expect(names.count > 20)
            #expect(names.contains("node_cpu_usage_percentage") && names.contains("kube_pod_status_ready"))
            let before = h.emulator.statistics.requests(to: .metrics)
            let result = try await h.monitor.metrics(
                resourceID: aks, names: names, aggregation: ["Average"], interval: "PT15M",
                timespan: (Self.clock.addingTimeInterval(-3600), Self.clock))
            #expect(h.emulator.statistics.requests(to: .metrics) - before == 2)
            #expect(result.value.map(\.name.value) == names)
            #expect(result.failures.isEmpty)
            #expect(result.value.allSatisfy { $0.timeseries.first?.data.contains(where: \.hasValue) == true })
            let ready = try #require(result.metric("kube_pod_status_ready")?.timeseries.first?.data.first?.average)
            #expect(ready >= 30 && ready <= 70 && ready.rounded() == ready, "a whole number of ready pods: \(ready)")

            // Asking Azure for more than 20 at once is refused; the client never does.
            let raw = try await h.rawGET(
                "\(aks)/providers/Microsoft.Insights/metrics?api-version=2024-02-01&metricnames=\(names.joined(separator: ","))")
            #expect(raw.status == 400)
        }
    }

    @Test func definitionsDescribeUnitsAggregationsAndDimensions() async throws {
        try await withHarness { h in
            let openAI = try await h.monitor.definitions(resourceID: try h.resourceID("qlp-openai"))
            let requests = try #require(openAI.first { $0.name.value == "AzureOpenAIRequests" })
            #expect(requests.unit == "Count")
            #expect(requests.primaryAggregationType == "Total")
            #expect(requests.dimensions?.map(\.value).contains("ModelDeploymentName") == true)
            #expect(requests.metricAvailabilities?.contains { $0.timeGrain == "PT1M" } == true)
            #expect(
                Set(openAI.map(\.name.value)).isSuperset(of: ["ProcessedPromptTokens", "GeneratedTokens", "AzureOpenAITimeToResponse"]))

            let components = try h.resourceID("qlp-appinsights")
            let standard = try await h.monitor.definitions(resourceID: components)
            #expect(standard.contains { $0.name.value == "requests/count" })
            #expect(!standard.contains { $0.name.value == "ai_model_response_time" })
            let custom = try await h.monitor.definitions(resourceID: components, namespace: "azure.applicationinsights")
            #expect(custom.map(\.name.value) == ["projects_created_total", "deployment_success_rate", "ai_model_response_time"])
        }
    }

    @Test func aMetricThatCannotGiveTheAggregationFailsAloneInsideA200() async throws {
        try await withHarness { h in
            let openAI = try h.resourceID("qlp-openai")
            let result = try await h.monitor.metrics(
                resourceID: openAI, names: ["AzureOpenAITimeToResponse", "AzureOpenAIRequests"],
                aggregation: ["Average"], interval: "PT1H",
                timespan: (Self.clock.addingTimeInterval(-3 * 3600), Self.clock))
            let latency = try #require(result.metric("AzureOpenAITimeToResponse"))
            #expect(latency.failure == nil)
            #expect(latency.timeseries.first?.data.allSatisfy { ($0.average ?? 0) > 0 } == true)
            let requests = try #require(result.metric("AzureOpenAIRequests"))
            #expect(requests.failure?.hasPrefix("InvalidSamplingType: Sampling type is not found") == true)
            #expect(requests.timeseries.isEmpty)
            #expect(result.failures.count == 1)

            // The failed metric has the keys of the failed one in GetMetricError.json.
            let example = try MicrosoftExample.body("azure/monitor-metrics/2023-10-01/GetMetricError.json")
            let exampleFailure = try #require((example["value"] as? [[String: Any]])?.first { ($0["errorCode"] as? String) != "Success" })
            let raw = try await h.rawGET(
                "\(openAI)/providers/Microsoft.Insights/metrics?api-version=2023-10-01&metricnames=AzureOpenAIRequests&aggregation=average&interval=FULL"
            )
            let failure = try #require((try h.json(raw)["value"] as? [Any])?.first)
            #expect(keys(failure) == keys(exampleFailure))
        }
    }

    @Test func dimensionFiltersSplitTheSeriesAndTheSplitsAddUp() async throws {
        try await withHarness { h in
            let openAI = try h.resourceID("qlp-openai")
            let span = (Self.clock.addingTimeInterval(-86_400), Self.clock)
            let whole = try await h.monitor.metrics(resourceID: openAI, names: ["AzureOpenAIRequests"], interval: "FULL", timespan: span)
            let split = try await h.monitor.metrics(
                resourceID: openAI, names: ["AzureOpenAIRequests"], interval: "FULL", timespan: span,
                filter: "ModelDeploymentName eq '*'")
            let total = try #require(whole.value.first?.timeseries.first?.data.first?.total)
            let series = try #require(split.value.first?.timeseries)
            #expect(Set(series.compactMap { $0.dimension("ModelDeploymentName") }) == ["gpt-4-turbo", "gpt-35-turbo"])
            let parts = series.compactMap { $0.data.first?.total }
            #expect(abs(parts.reduce(0, +) - total) <= 1, "\(parts) vs \(total)")
            #expect(total > 1000, "a day of requests: \(total)")
        }
    }

    @Test func unknownMetricsAndResourcesAreRefusedAsAzureRefusesThem() async throws {
        try await withHarness { h in
            let span = (Self.clock.addingTimeInterval(-3600), Self.clock)
            do {
                _ = try await h.monitor.metrics(
                    resourceID: try h.resourceID("qlp-redis"), names: ["serverLoad", "cpu_percent"], timespan: span)
                Issue.record("an unknown metric name must fail the call")
            } catch let error as AzureError {
                guard case .http(_, _, 400, let code, let message, _) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(code == "BadRequest")
                #expect(
                    message?.hasPrefix(
                        "Failed to find metric configuration for provider: microsoft.cache, resource Type: redis, metric: cpu_percent, Valid metrics:"
                    ) == true)
            }
            let missing = "/subscriptions/\(h.subscriptionID)/resourceGroups/quantumlayer-prod/providers/Microsoft.Cache/Redis/nope"
            do {
                _ = try await h.monitor.metrics(resourceID: missing, names: ["serverLoad"], timespan: span)
                Issue.record("an unknown resource must fail")
            } catch let error as AzureError {
                guard case .http(_, _, 404, let code, _, _) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(code == "ResourceNotFound")
            }
        }
    }

    @Test func batchReadsSeveralResourcesWithItsOwnTokenScope() async throws {
        try await withHarness { h in
            let groups = try ["qlp-workers", "qlp-sandbox", "qlp-builder"].map { try h.resourceID($0) }
            let tokensBefore = h.emulator.statistics.requests(to: .token)
            _ = try await h.tokens.token(for: AzureEndpoints.publicCloud.managementScope)
            let result = try await h.monitor.batch(
                endpoint: h.base, subscriptionID: h.subscriptionID, resourceIDs: groups,
                namespace: "Microsoft.ContainerInstance/containerGroups",
                names: ["CpuUsage", "MemoryUsage"], aggregation: ["Average"], interval: "PT1H",
                start: Self.clock.addingTimeInterval(-4 * 3600), end: Self.clock)
            #expect(result.values.map { $0.resourceid?.lowercased() } == groups.map { $0.lowercased() })
            for entry in result.values {
                #expect(entry.value.map(\.name.value) == ["CpuUsage", "MemoryUsage"])
                #expect(entry.namespace == "microsoft.containerinstance/containergroups")
                #expect(entry.value.allSatisfy { $0.timeseries.first?.data.count == 5 })
            }
            let cpu = result.values.compactMap { $0.metric("CpuUsage")?.timeseries.first?.data.last?.average }
            #expect(cpu.count == 3 && cpu[2] > cpu[1], "the builder works harder than the sandbox: \(cpu)")
            #expect(h.emulator.statistics.requests(to: .token) - tokensBefore == 2, "one token for ARM, one for the metrics data plane")

            // Shapes as MetricBatchExample2.json.
            let example = try MicrosoftExample.body("azure/monitor-metrics-batch/2024-02-01/MetricBatchExample2.json")
            let token = try await h.tokens.token(for: MonitorMetricsClient.batchScope)
            let url = "\(h.base)/subscriptions/\(h.subscriptionID)/metrics:getBatch?api-version=2024-02-01"
            let headers: HTTPHeaders = ["Authorization": "Bearer \(token.token.reveal())", "Content-Type": "application/json"]
            let body = Array(#"{"resourceids":["\#(groups[0])"]}"#.utf8)
            let raw = try await h.transport.send(
                HTTPRequest(
                    method: .post,
                    url: url + "&metricnamespace=Microsoft.ContainerInstance/containerGroups&metricnames=CpuUsage&interval=FULL",
                    headers: headers, body: body))
            let answer = try h.json(raw)
            #expect(keys(answer) == keys(example))
            #expect(keys((answer["values"] as? [Any])?.first) == keys((example["values"] as? [Any])?.first))

            // A timespan is refused with the error of the example's default response.
            let exampleError = try MicrosoftExample.body(
                "azure/monitor-metrics-batch/2024-02-01/MetricBatchExample2.json", status: "default")
            let refused = try await h.transport.send(
                HTTPRequest(
                    method: .post,
                    url: url + "&metricnamespace=Microsoft.ContainerInstance/containerGroups&metricnames=CpuUsage&timespan=PT1H",
                    headers: headers, body: body))
            #expect(refused.status == 400)
            #expect(refused.headers["x-ms-error-code"] == "BadRequest")
            let error = try h.json(refused)
            #expect(keys(error["error"]) == keys(exampleError["error"]))
            #expect(
                ((error["error"] as? [String: Any])?["message"] as? String)
                    == ((exampleError["error"] as? [String: Any])?["message"] as? String))
        }
    }

    @Test func noDataBeforeTheWorldBeginsOnlyTimeStamps() async throws {
        try await withHarness { h in
            let first = EmulatorHarness.firstDay.startInstant(in: TimeZone(identifier: "UTC")!)
            let result = try await h.monitor.metrics(
                resourceID: try h.resourceID("qlp-sql/quantumlayer"), names: ["cpu_percent"],
                interval: "PT6H", timespan: (first.addingTimeInterval(-86_400), first.addingTimeInterval(86_400)))
            let points = try #require(result.value.first?.timeseries.first?.data)
            #expect(points.count == 8)
            #expect(points.prefix(4).allSatisfy { !$0.hasValue })
            #expect(points.suffix(4).allSatisfy { $0.hasValue })
        }
    }

    @Test func metricsAreDeterministicForTheSeed() async throws {
        var answers: [[Double?]] = []
        for _ in 0..<2 {
            try await withHarness { h in
                let result = try await h.monitor.metrics(
                    resourceID: try h.resourceID("qlp-frontdoor"), names: ["RequestCount", "TotalLatency"],
                    interval: "PT1H", timespan: (Self.clock.addingTimeInterval(-86_400), Self.clock))
                answers.append(result.value.flatMap { $0.timeseries.flatMap { $0.data.map { $0.total ?? $0.average } } })
            }
        }
        #expect(answers[0] == answers[1])
        #expect(answers[0].count == 50)
    }

    /// The cost world's Azure AI Services incidents show in the metrics: more
    /// OpenAI requests and tokens, slower answers, than the same weekday a week before.
    @Test func metricsRiseOnTheCostWorldsIncidentDays() async throws {
        try await withHarness { h in
            let world = h.emulator.configuration.world
            let today = CivilDate(Self.clock, in: TimeZone(identifier: "UTC")!)
            let incident = try #require(
                DayRange(world.firstDay.adding(days: 7), today.adding(days: -1))!.first {
                    world.hasIncident(service: "Azure AI Services", on: $0)
                        && !world.hasIncident(service: "Azure AI Services", on: $0.adding(days: -7))
                }, "the seed's world has an incident day in the harness window")
            let weekBefore = incident.adding(days: -7)
            #expect(incident.isoWeekday == weekBefore.isoWeekday)
            let ai = try #require(world.services.firstIndex { $0.name == "Azure AI Services" })
            #expect(
                world.cost(serviceIndex: ai, on: incident, at: Self.clock) > world.cost(serviceIndex: ai, on: weekBefore, at: Self.clock))

            let utc = TimeZone(identifier: "UTC")!
            let span = (weekBefore.startInstant(in: utc), incident.adding(days: 1).startInstant(in: utc))
            let openAI = try await h.monitor.metrics(
                resourceID: try h.resourceID("qlp-openai"),
                names: ["AzureOpenAIRequests", "ProcessedPromptTokens", "GeneratedTokens"],
                aggregation: ["Total"], interval: "P1D", timespan: span)
            for metric in openAI.value {
                let days = try #require(metric.timeseries.first?.data)
                #expect(days.count == 8)
                let then = try #require(days.first?.total)
                let now = try #require(days.last?.total)
                #expect(now > then * 1.5, "\(metric.name.value): \(now) on \(incident) vs \(then) on \(weekBefore)")
            }
            let latency = try await h.monitor.metrics(
                resourceID: try h.resourceID("qlp-openai"), names: ["AzureOpenAITimeToResponse"],
                aggregation: ["Average"], interval: "P1D", timespan: span)
            let latencyDays = try #require(latency.value.first?.timeseries.first?.data)
            #expect(try #require(latencyDays.last?.average) > (try #require(latencyDays.first?.average)) * 1.3)

            let custom = try await h.monitor.metrics(
                resourceID: try h.resourceID("qlp-appinsights"), names: ["ai_model_response_time"],
                aggregation: ["Average"], interval: "P1D", timespan: span,
                namespace: "azure.applicationinsights")
            let responseDays = try #require(custom.value.first?.timeseries.first?.data)
            #expect(try #require(responseDays.last?.average) > (try #require(responseDays.first?.average)) * 1.3)
        }
    }
}
