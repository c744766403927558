import Foundation
import QLPAzure
import QLPCore
import QLPHTTP
import Testing

/// Issue 14, finding 10: amounts and counts that Atlas and Azure Monitor send
/// are refused when absurd (naming the field) or summed without trapping.
@Suite struct OutsideAmountTests {
    func invoice(creditsCents: String) -> Data {
        Data(
            #"{"id":"inv-1","orgId":"org","statusName":"CLOSED","startDate":"2026-10-01T00:00:00Z","endDate":"2026-11-01T00:00:00Z","subtotalCents":1200,"creditsCents":\#(creditsCents)}"#
                .utf8)
    }

    @Test func finding10_anAtlasAmountBeyondAnyRealFigureIsRefusedNamingTheField() throws {
        do {
            _ = try JSONDecoder().decode(AtlasInvoice.self, from: invoice(creditsCents: "-9223372036854775808"))
            Issue.record("Int.min cents was accepted; the credit computation takes its size, which traps")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.codingPath.map(\.stringValue) == ["creditsCents"])
            #expect(context.debugDescription.contains("creditsCents is -9223372036854775808"))
        }
        let real = try JSONDecoder().decode(AtlasInvoice.self, from: invoice(creditsCents: "-1200"))
        #expect(real.creditsCents == -1200)
    }

    @Test func finding10_monitorCostsSummedOverSplitCallsSaturate() async throws {
        func part(_ names: ClosedRange<Int>) -> HTTPResponse {
            let metrics = names.map { #"{"name":{"value":"m\#($0)"},"unit":"Count","timeseries":[],"errorCode":"Success"}"# }
            return HTTPResponse(
                status: 200,
                body: Array(
                    #"{"cost":9223372036854775807,"timespan":"x/y","interval":"PT1H","value":[\#(metrics.joined(separator: ","))]}"#.utf8))
        }
        let transport = ScriptedTransport([part(1...20), part(21...22)])
        let client = MonitorMetricsClient(
            transport: transport, tokens: TokenCache(source: CountingTokenSource()),
            management: "https://arm.example.test")
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let result = try await client.metrics(
            resourceID: MonitorAndVaultClientTests.resource, names: (1...22).map { "m\($0)" },
            aggregation: ["Total"], interval: "PT1H",
            timespan: (start, start.addingTimeInterval(3600)))
        #expect(result.value.count == 22)
        #expect(result.cost == .max)
    }
}
