import Foundation
import QLPAzure
import QLPCore
import QLPEmulator
import QLPStore
import Testing

/// Cost Management over loopback bills Azure OpenAI what the demo's usage
/// ledger says its requests to Azure targets cost, and splits it by meter.
@Suite struct TrafficCostQueryTests {
    @Test func costManagementReturnsTheLedgersAzureCostForAzureAIServices() async throws {
        let traffic = try TrafficWorldTests.traffic()
        let azure = try TrafficWorldTests.azureTargets()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qlp-traffic-query-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ledger = try SQLiteUsageLedger(path: dir.appendingPathComponent("demo-usage.sqlite").path, now: EmulatorHarness.clock)
        let today = TrafficWorldTests.today
        let first = today.adding(days: -3)
        try traffic.fill(ledger, from: TrafficWorldTests.start(first), to: EmulatorHarness.clock)

        try await withHarness(world: TrafficWorldTests.world(traffic)) { h in
            let result = try await h.client.dailyCostsByService(scope: h.scope, from: first, to: today)
            for day in DayRange(first, today)! {
                let records = try ledger.records(from: TrafficWorldTests.start(day), to: TrafficWorldTests.start(day.adding(days: 1)))
                let fromLedger = records.filter { azure.contains($0.target) }.reduce(Decimal(0)) { $0 + ($1.cost ?? 0) }
                let reported = try #require(result.costs.first { $0.day == day && $0.service == "Azure AI Services" })
                #expect(reported.amount == fromLedger, "\(day): Cost Management \(reported.amount), ledger \(fromLedger)")
            }

            // Grouped by meter, the models' meters add up to the same day's figure.
            let token = try await h.tokens.token(for: AzureEndpoints.publicCloud.managementScope)
            let day = today.adding(days: -1)
            let body =
                #"{"type":"ActualCost","timeframe":"Custom","timePeriod":{"from":"\#(day.iso8601)","to":"\#(day.iso8601)"},"dataset":{"granularity":"Daily","aggregation":{"totalCost":{"name":"Cost","function":"Sum"}},"grouping":[{"type":"Dimension","name":"Meter"}],"filter":{"dimensions":{"name":"ServiceName","operator":"In","values":["Azure AI Services"]}}}}"#
            let response = try await h.transport.send(
                .init(
                    method: .post, url: "\(h.base)/\(h.scope)/providers/Microsoft.CostManagement/query?api-version=2023-03-01",
                    headers: ["Authorization": "Bearer \(token.token.reveal())", "Content-Type": "application/json"], body: Array(body.utf8)
                ))
            #expect(response.status == 200)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            let rows = try #require((object["properties"] as? [String: Any])?["rows"] as? [[Any]])
            let meters = Set(rows.compactMap { $0[1] as? String })
            #expect(
                meters == [
                    "gpt-4-turbo-preview Input Tokens", "gpt-4-turbo-preview Output Tokens", "gpt-35-turbo Input Tokens",
                    "gpt-35-turbo Output Tokens", "text-embedding-ada-002 Input Tokens",
                ])
            let expected = traffic.azureMeterCosts(on: day, at: EmulatorHarness.clock)
            for row in rows {
                let meter = try #require(row[1] as? String)
                let want = try #require(expected.first { $0.meter == meter }).cost
                let got = try #require((row[0] as? NSNumber)?.doubleValue)
                #expect(abs(got - NSDecimalNumber(decimal: want).doubleValue) < 0.000_001, "\(meter): \(got) vs \(want)")
            }
        }
    }
}
