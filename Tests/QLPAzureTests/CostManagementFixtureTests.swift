import Foundation
import QLPAzure
import QLPCore
import Testing

/// Every Cost Management example Microsoft publishes (copied into Fixtures)
/// must decode. The folder is enumerated, so a new file is a new case.
@Suite struct CostManagementFixtureTests {
    static let exampleFiles =
        FixtureFiles.files(under: "azure/cost-management", withExtension: "json")
        .filter { !$0.contains("/observed/") }
        + FixtureFiles.files(under: "azure/consumption-budgets", withExtension: "json")

    @Test func theFolderIsNotEmpty() {
        #expect(Self.exampleFiles.count >= 8)
    }

    @Test(arguments: exampleFiles)
    func exampleDecodes(_ path: String) throws {
        let body = try ExampleBody.bytes(of: try FixtureFiles.bytes(path))
        let shape = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        if let properties = shape["properties"] as? [String: Any], properties["columns"] != nil {
            let result = try AzureWireDecoding.costQuery(body)
            #expect(!result.columns.isEmpty)
            #expect(result.rows.allSatisfy { $0.count == result.columns.count })
            #expect(result.columnIndex("PreTaxCost", "Cost") != nil)
            #expect(result.columnIndex("Currency") == result.columns.count - 1)
        } else if shape["value"] != nil {
            let list = try AzureWireDecoding.budgetList(body)
            #expect(!list.value.isEmpty)
            for budget in list.value {
                #expect(budget.properties.amount > 0)
                #expect(!budget.properties.notifications.isEmpty)
            }
        } else {
            let budget = try AzureWireDecoding.budget(body)
            #expect(budget.properties.amount > 0)
            #expect(!budget.properties.notifications.isEmpty)
        }
    }

    @Test func queryNumbersDecodeExactly() throws {
        let body = try ExampleBody.bytes(of: try FixtureFiles.bytes("azure/cost-management/2023-03-01/SubscriptionQuery.json"))
        let result = try AzureWireDecoding.costQuery(body)
        #expect(result.columns.map(\.name) == ["PreTaxCost", "ResourceGroup", "UsageDate", "Currency"])
        #expect(result.rows.count == 4)
        // Every digit Azure sent survives: no Double on the way.
        #expect(result.rows[0][0] == .number(Decimal(string: "2.10333307059661")!))
        #expect(result.rows[1][0] == .number(Decimal(string: "218.68795741935486")!))
        #expect(result.rows[0][2] == .number(20_180_331))
        let total = result.rows.reduce(Decimal(0)) { sum, row in
            if case .number(let n) = row[0] { return sum + n }
            return sum
        }
        #expect(total == Decimal(string: "220.945005212619364152")!)
    }

    @Test func forecastRowsCarryCostStatus() throws {
        let body = try ExampleBody.bytes(of: try FixtureFiles.bytes("azure/cost-management/2025-03-01/SubscriptionForecast.json"))
        let result = try AzureWireDecoding.costQuery(body)
        let status = try #require(result.columnIndex("CostStatus"))
        #expect(result.rows.allSatisfy { $0[status] == .string("Forecast") })
    }

    @Test func microsoftsMalformedBudgetListKeepsTheGoodNotifications() throws {
        let body = try ExampleBody.bytes(of: try FixtureFiles.bytes("azure/consumption-budgets/2024-08-01/BudgetsList.json"))
        let list = try AzureWireDecoding.budgetList(body)
        #expect(list.value.count == 2)
        let first = list.value[0].properties
        #expect(first.skippedNotificationKeys == ["thresholdType"])
        #expect(Set(first.notifications.keys) == ["Actual_GreaterThan_80_Percent", "Actual_GreaterThanOrEqualTo_90_Percent"])
        #expect(first.notifications["Actual_GreaterThan_80_Percent"]?.threshold == 80)
        #expect(first.notifications["Actual_GreaterThanOrEqualTo_90_Percent"]?.operator == "GreaterThanOrEqualTo")
        #expect(first.currentSpend?.amount == Decimal(string: "80.89")!)
        #expect(list.value[0].fractionUsed == Decimal(string: "80.89")! / Decimal(string: "100.65")!)
    }

    @Test func quotedETagSurvives() throws {
        let body = try ExampleBody.bytes(of: try FixtureFiles.bytes("azure/cost-management/2025-03-01/Get-Cost-Budget.json"))
        let budget = try AzureWireDecoding.budget(body)
        #expect(budget.eTag == "\"1d34d012214157f\"")
        #expect(budget.properties.timeGrain == "Monthly")
    }

    @Test func observedThrottleBodyIsAnARMError() throws {
        let body = try FixtureFiles.bytes("azure/cost-management/observed/query-429-body.from-issue.json")
        let error = try #require(AzureWireDecoding.armError(body))
        #expect(error.code == "429")
        #expect(error.message == "Too many requests. Please retry.")
    }
}
