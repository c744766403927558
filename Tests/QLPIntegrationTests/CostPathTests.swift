import Foundation
import QLPAzure
import QLPCore
import QLPDashboard
import QLPEmulator
import Testing

/// transport -> emulator -> decoding -> budget core, over real loopback HTTP.
@Suite struct CostPathTests {
    @Test func categorySpendEqualsTheEmulatorsRowsSummedByTheMapping() async throws {
        try await withHarness(pageSize: 150) { h in
            let plan = try EmulatorHarness.examplePlan()
            let today = CivilDate(EmulatorHarness.clock, in: TimeZone(identifier: plan.billingTimeZone)!)
            let result = try await h.client.dailyCostsByService(scope: h.scope, from: plan.creditPeriod.first, to: today)
            #expect(result.pages >= 3, "the test must cross pages; it took \(result.pages)")
            let overview = BudgetOverview(plan: plan, costs: result.costs, today: today)

            // The expected figures, computed a second, simpler way: every row the
            // emulator holds, bucketed by a plain lookup of the config's lists.
            var bucketOf: [String: CreditCategory] = [:]
            for allocation in plan.allocations {
                for service in allocation.services { bucketOf[service.lowercased()] = allocation.category }
            }
            var expected: [CreditCategory: Decimal] = [:]
            var unmapped: Decimal = 0
            let rows = h.emulator.configuration.world.rows(from: plan.creditPeriod.first, to: today, at: EmulatorHarness.clock)
            #expect(rows.count == result.costs.count)
            for row in rows {
                if let bucket = bucketOf[row.service.lowercased()] {
                    expected[bucket, default: 0] += row.cost
                } else {
                    unmapped += row.cost
                }
            }
            for (category, position) in overview.categories {
                let want = expected[category] ?? 0
                #expect(want > 0, "\(category) has spend in the emulated world")
                #expect(position.spent == want, "\(category): \(position.spent) vs \(want)")
                #expect(position.spent.rounded(scale: 2) == want.rounded(scale: 2))
            }
            #expect(overview.unmapped.spent == unmapped)
            #expect(overview.unmapped.services.map(\.name) == ["Event Grid"])
            #expect(overview.credit.spent == expected.values.reduce(unmapped, +))
        }
    }

    @Test func emulatorAnswersInTheShapeOfMicrosoftsExample() async throws {
        try await withHarness { h in
            let token = try await h.tokens.token(for: AzureEndpoints.publicCloud.managementScope)
            let response = try await h.transport.send(
                .init(
                    method: .post, url: "\(h.base)/\(h.scope)/providers/Microsoft.CostManagement/query?api-version=2023-03-01",
                    headers: ["Authorization": "Bearer \(token.token.reveal())", "Content-Type": "application/json"],
                    body: Array(
                        #"{"type":"Usage","timeframe":"MonthToDate","dataset":{"granularity":"Daily","grouping":[{"type":"Dimension","name":"ResourceGroup"}]}}"#
                            .utf8)))
            #expect(response.status == 200)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            // The same keys as azure/cost-management/2023-03-01/SubscriptionQuery.json.
            #expect(Set(object.keys) == ["id", "name", "type", "properties"])
            let properties = try #require(object["properties"] as? [String: Any])
            #expect(Set(properties.keys) == ["nextLink", "columns", "rows"])
            let columns = try #require(properties["columns"] as? [[String: String]])
            #expect(columns.map { $0["name"]! } == ["PreTaxCost", "ResourceGroup", "UsageDate", "Currency"])
            #expect(columns.map { $0["type"]! } == ["Number", "String", "Number", "String"])
            let rows = try #require(properties["rows"] as? [[Any]])
            #expect(!rows.isEmpty)
            #expect((rows[0][2] as? NSNumber)?.intValue == 20_261_101)
            #expect(rows[0][3] as? String == "GBP")
        }
    }

    @Test func aNextLinkFollowedWithoutTheBodyIsRefusedAsAzureDoes() async throws {
        try await withHarness(pageSize: 10) { h in
            let token = try await h.tokens.token(for: AzureEndpoints.publicCloud.managementScope)
            let first = try await h.transport.send(
                .init(
                    method: .post, url: "\(h.base)/\(h.scope)/providers/Microsoft.CostManagement/query?api-version=2023-03-01",
                    headers: ["Authorization": "Bearer \(token.token.reveal())", "Content-Type": "application/json"],
                    body: CostQueryDefinitionBody.monthToDate))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(first.body)) as? [String: Any])
            let next = try #require((object["properties"] as? [String: Any])?["nextLink"] as? String)
            #expect(next.hasPrefix(h.base))
            let bare = try await h.transport.send(
                .init(
                    method: .post, url: next,
                    headers: ["Authorization": "Bearer \(token.token.reveal())"]))
            #expect(bare.status == 400)
            #expect(AzureWireDecoding.armError(bare.body)?.message?.contains("Dataset is invalid or not supplied") == true)
        }
    }

    @Test func theSameSeedGivesTheSameWorldWhateverTheWindow() {
        let world = CostWorld(seed: 7, firstDay: EmulatorHarness.firstDay)
        let wide = world.rows(from: EmulatorHarness.firstDay, to: CivilDate(year: 2026, month: 11, day: 20)!, at: EmulatorHarness.clock)
        let narrow = world.rows(
            from: CivilDate(year: 2026, month: 11, day: 10)!, to: CivilDate(year: 2026, month: 11, day: 12)!,
            at: EmulatorHarness.clock)
        #expect(
            narrow
                == wide.filter {
                    $0.day >= CivilDate(year: 2026, month: 11, day: 10)! && $0.day <= CivilDate(year: 2026, month: 11, day: 12)!
                })
        #expect(
            CostWorld(seed: 8, firstDay: EmulatorHarness.firstDay).rows(
                from: EmulatorHarness.firstDay, to: EmulatorHarness.firstDay,
                at: EmulatorHarness.clock) != Array(wide.prefix(19)))
        // Plausible: about a month's budget a month, weekends cheaper than weekdays.
        let october = wide.filter { $0.day.month == 10 }.reduce(Decimal(0)) { $0 + $1.cost }
        #expect(october > 700 && october < 1100, "October costs \(october)")
        let saturday = wide.filter { $0.day == CivilDate(year: 2026, month: 10, day: 10)! }.reduce(Decimal(0)) { $0 + $1.cost }
        let tuesday = wide.filter { $0.day == CivilDate(year: 2026, month: 10, day: 13)! }.reduce(Decimal(0)) { $0 + $1.cost }
        #expect(saturday < tuesday)
    }
}

/// A month-to-date, daily, per-service query body as raw JSON.
enum CostQueryDefinitionBody {
    static let monthToDate = Array(
        #"{"type":"ActualCost","timeframe":"MonthToDate","dataset":{"granularity":"Daily","aggregation":{"totalCost":{"name":"Cost","function":"Sum"}},"grouping":[{"type":"Dimension","name":"ServiceName"}]}}"#
            .utf8)
}
