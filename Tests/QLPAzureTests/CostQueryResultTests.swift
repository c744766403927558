import Foundation
import QLPAzure
import QLPCore
import Testing

/// Rows are positional; qlp reads them by column name, never by position.
@Suite struct CostQueryResultTests {
    func d(_ s: String) -> Decimal { Decimal(string: s)! }

    @Test func readsDailyServiceRowsInAnyColumnOrder() throws {
        let result = CostQueryResult(
            columns: [
                .init(name: "Currency", type: "String"), .init(name: "UsageDate", type: "Number"),
                .init(name: "ServiceName", type: "String"), .init(name: "Cost", type: "Number"),
            ],
            rows: [
                [.string("GBP"), .number(20_261_125), .string("Azure AI Services"), .number(d("9.123456789"))],
                [.string("GBP"), .number(20_261_126), .null, .number(d("0.01"))],
            ],
            pages: 1)
        let costs = try result.dailyCosts()
        #expect(
            costs == [
                DailyCost(
                    day: CivilDate(year: 2026, month: 11, day: 25)!, service: "Azure AI Services", amount: d("9.123456789"), currency: .gbp),
                DailyCost(day: CivilDate(year: 2026, month: 11, day: 26)!, service: "", amount: d("0.01"), currency: .gbp),
            ])
    }

    @Test func acceptsStringUsageDates() throws {
        let result = CostQueryResult(
            columns: [
                .init(name: "PreTaxCost", type: "Number"), .init(name: "ServiceName", type: "String"),
                .init(name: "UsageDate", type: "Datetime"), .init(name: "Currency", type: "String"),
            ],
            rows: [[.number(1), .string("Storage"), .string("2026-11-01T00:00:00"), .string("GBP")]], pages: 1)
        #expect(try result.dailyCosts().first?.day == CivilDate(year: 2026, month: 11, day: 1))
    }

    @Test func namesWhatIsMissing() {
        let noService = CostQueryResult(
            columns: [
                .init(name: "Cost", type: "Number"), .init(name: "UsageDate", type: "Number"),
                .init(name: "Currency", type: "String"),
            ], rows: [], pages: 1)
        #expect(throws: CostQueryResult.ShapeError.self) { try noService.dailyCosts() }
        do {
            _ = try noService.dailyCosts()
        } catch {
            #expect("\(error)".contains("ServiceName"))
        }
        let shortRow = CostQueryResult(
            columns: [
                .init(name: "Cost", type: "Number"), .init(name: "UsageDate", type: "Number"),
                .init(name: "ServiceName", type: "String"), .init(name: "Currency", type: "String"),
            ],
            rows: [[.number(1), .number(20_261_101)]], pages: 1)
        do {
            _ = try shortRow.dailyCosts()
            Issue.record("a short row must be rejected")
        } catch {
            #expect("\(error)".contains("row 1"))
        }
    }

    @Test func definitionMatchesTheDocumentedShape() throws {
        let definition = CostQueryDefinition.dailyCostByService(
            from: CivilDate(year: 2026, month: 10, day: 1)!,
            to: CivilDate(year: 2026, month: 11, day: 26)!)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(definition), as: UTF8.self)
        #expect(
            json
                == #"{"dataset":{"aggregation":{"totalCost":{"function":"Sum","name":"Cost"}},"granularity":"Daily","grouping":[{"name":"ServiceName","type":"Dimension"}]},"timePeriod":{"from":"2026-10-01T00:00:00+00:00","to":"2026-11-26T23:59:59+00:00"},"timeframe":"Custom","type":"ActualCost"}"#
        )
    }
}
