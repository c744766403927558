import Foundation
import QLPCore
import QLPStore
import Testing

/// Issue 13, acceptance 4 and item 6: `qlp report --demo` reads the demo's
/// usage ledger, filled with the traffic the emulator billed, and its routing
/// savings are what a recomputation from the ledger's own rows gives.
@Suite(.timeLimit(.minutes(3))) struct RoutingSavingsEndToEndTests {
    func run(_ arguments: [String], in scratch: ScratchDirectory) async throws -> Subprocess.Result {
        try await Subprocess.run(
            [QLPBinary.path] + arguments,
            environment: [
                "HOME": scratch.path, "LANG": "C.UTF-8", "TZ": "UTC",
                "XDG_CONFIG_HOME": scratch.path + "/config", "XDG_STATE_HOME": scratch.path + "/state",
            ])
    }

    @Test func theDemoReportsSavingsEqualToARecomputationFromTheLedgersRows() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let json = try await run(["report", "--demo", "--format", "json"], in: scratch)
        #expect(json.status == 0, "\(json.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(report["schema_version"] as? Int == 2)
        let savings = try #require(report["routing_savings"] as? [String: Any], "no routing_savings in \(json.output.prefix(400))")
        let period = try #require(report["period"] as? [String: Any])
        let first = try #require(CivilDate(iso8601: period["compared_first_day"] as? String ?? ""))
        let last = try #require(CivilDate(iso8601: period["compared_last_day"] as? String ?? ""))

        // The ledger's rows for those days (the example config bills in Europe/London), recomputed here at the
        // example config's prices: every route's baseline is its dearest target, gpt4 for chat and code.
        let london = TimeZone(identifier: "Europe/London")!
        let ledger = try SQLiteUsageLedger(path: scratch.path + "/state/qlp/demo-usage.sqlite")
        let rows = try ledger.records(from: first.startInstant(in: london), to: last.adding(days: 1).startInstant(in: london))
        #expect(rows.count > 1000, "the demo's week should hold thousands of requests, found \(rows.count)")
        let baseline: [String: (Decimal, Decimal)] = [
            "chat": (Decimal(string: "0.0079")!, Decimal(string: "0.0237")!),
            "code": (Decimal(string: "0.0079")!, Decimal(string: "0.0237")!),
            "embeddings": (Decimal(string: "0.00008")!, 0),
        ]
        var actual = Decimal(0)
        var counterfactual = Decimal(0)
        var counted = 0
        for row in rows {
            guard let tokens = row.tokens, let prices = baseline[row.route] else { continue }
            counted += 1
            actual += row.cost ?? 0
            counterfactual += tokens.cost(inputPer1K: prices.0, outputPer1K: prices.1)
        }
        func number(_ key: String) -> Decimal? { (savings[key] as? NSNumber).map { Decimal(string: $0.stringValue)! } }
        func close(_ a: Decimal?, _ b: Decimal) -> Bool { a.map { abs($0 - b) < Decimal(string: "0.005")! } ?? false }
        #expect(savings["requests"] as? Int == counted)
        #expect(close(number("actual"), actual), "actual \(String(describing: number("actual"))) vs \(actual)")
        #expect(
            close(number("counterfactual"), counterfactual),
            "counterfactual \(String(describing: number("counterfactual"))) vs \(counterfactual)")
        #expect(close(number("saving"), counterfactual - actual))
        #expect(counterfactual > actual, "routing to cheaper targets saved nothing?")

        // The same token counts are the emulator's Azure OpenAI bill: the ledger and Cost Management agree.
        let versus = try #require(report["ledger_vs_invoice"] as? [String: Any])
        #expect((versus["difference"] as? NSNumber)?.doubleValue == 0, "\(versus)")

        // Markdown and the table show the method under the figures.
        for format in ["markdown", "table"] {
            let text = try await run(["report", "--demo", "--format", format], in: scratch)
            #expect(text.status == 0, "\(text.error)")
            #expect(text.output.contains("Routing savings"), "\(format): no Routing savings section")
            #expect(text.output.contains("Counterfactual: each route's input tokens"), "\(format): no method")
        }
    }
}
