import Foundation
import QLPCore
import Testing

@testable import QLPReport

/// The usage ledger's sections of the report (issue 13, items 4 and 5):
/// routing savings, spend by key and by route, and the ledger beside the
/// invoice, each checked against a recomputation from the rollups.
@Suite struct RoutingSavingsTests {
    typealias B = FinanceReportBuilderTests
    static func d(_ s: String) -> Decimal { B.d(s) }

    /// The example config's prices (GBP per 1,000 tokens).
    static let prices: [String: SavingsBaseline.Prices] = [
        "gpt4": .init(inputPer1K: d("0.0079"), outputPer1K: d("0.0237")),
        "gpt35": .init(inputPer1K: d("0.0004"), outputPer1K: d("0.0012")),
        "embeddings": .init(inputPer1K: d("0.00008"), outputPer1K: 0),
        "llama3": .init(inputPer1K: 0, outputPer1K: 0),
        "codellama": .init(inputPer1K: 0, outputPer1K: 0),
        "mistral": .init(inputPer1K: 0, outputPer1K: 0),
    ]
    /// The example config's routes, weights then fallback.
    static let routes: [String: [String]] = [
        "chat": ["gpt4", "gpt35", "llama3", "gpt35", "llama3", "mistral"],
        "code": ["gpt4", "codellama", "gpt35", "codellama"],
        "embeddings": ["embeddings"],
    ]
    /// chat by default (gpt4, its dearest), code configured to gpt35.
    static let baselines = SavingsBaseline.baselines(routes: routes, prices: prices, configured: ["code": "gpt35"])
    static let azure: Set<String> = ["gpt4", "gpt35", "embeddings"]

    static func hour(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    /// A rollup whose cost is its tokens at its target's price, as the gateway records it.
    static func rollup(
        _ iso: String, _ key: String, _ route: String, _ target: String, requests: Int, unknown: Int = 0,
        input: Int, output: Int
    ) -> UsageRollup {
        let price = prices[target] ?? .init(inputPer1K: d("0.0004"), outputPer1K: d("0.0012"))
        return UsageRollup(
            hour: hour(iso), keyName: key, route: route, target: target, requests: requests, succeeded: requests,
            unknownUsage: unknown, inputTokens: input, outputTokens: output,
            cost: TokenCounts(input: input, output: output).cost(inputPer1K: price.inputPer1K, outputPer1K: price.outputPer1K))
    }

    /// Week 47 of 2026 (16 to 22 November, London on UTC), the week before, and rows outside both.
    static let rollups: [UsageRollup] = [
        rollup("2026-11-16T10:00:00Z", "team-a", "chat", "gpt4", requests: 10, input: 10_000, output: 2_000),
        rollup("2026-11-17T12:00:00Z", "team-a", "chat", "gpt35", requests: 20, unknown: 2, input: 30_000, output: 5_000),
        rollup("2026-11-18T09:00:00Z", "team-b", "chat", "llama3", requests: 50, input: 80_000, output: 20_000),
        rollup("2026-11-19T15:00:00Z", "team-b", "code", "codellama", requests: 30, unknown: 1, input: 60_000, output: 30_000),
        rollup("2026-11-20T08:00:00Z", "team-a", "code", "gpt4", requests: 5, input: 5_000, output: 2_000),
        rollup("2026-11-21T08:00:00Z", "team-c", "embeddings", "embeddings", requests: 100, input: 200_000, output: 0),
        // The last hour of the 22nd: in.
        rollup("2026-11-22T23:00:00Z", "team-b", "chat", "gpt4", requests: 1, input: 1_000, output: 1_000),
        // A route no longer in the config: spend, but no baseline.
        rollup("2026-11-18T11:00:00Z", "team-c", "legacy", "gpt35", requests: 4, input: 1_000, output: 1_000),
        // The first hour of the 23rd, after the period: in no figure.
        rollup("2026-11-23T00:00:00Z", "team-a", "chat", "gpt4", requests: 99, input: 900_000, output: 900_000),
        // The previous week: its spend is "last week", not in the savings.
        rollup("2026-11-10T10:00:00Z", "team-a", "chat", "gpt4", requests: 7, input: 100_000, output: 100_000),
        rollup("2026-11-12T10:00:00Z", "team-d", "chat", "llama3", requests: 3, input: 3_000, output: 3_000),
        // Long before: in no figure.
        rollup("2026-10-01T10:00:00Z", "team-a", "chat", "gpt4", requests: 1, input: 500_000, output: 500_000),
    ]

    static func usage(_ rollups: [UsageRollup] = rollups) -> UsageReportInput {
        UsageReportInput(rollups: rollups, source: "the usage ledger at /tmp/usage.sqlite", baselines: baselines, azureTargets: azure)
    }

    static func report(plan: BudgetPlan = B.plan, usage: UsageReportInput? = usage(), note: String? = nil) throws -> FinanceReport {
        var input = ReportInput(records: B.steady, source: "test rows", basis: .actual, rowsRead: B.steady.count)
        input.usage = usage
        input.usageNote = note
        return try FinanceReportBuilder(
            plan: plan, period: .week(ISOWeek(year: 2026, week: 47)!), today: B.day(2026, 11, 26),
            generatedAt: Date(timeIntervalSince1970: 1_800_000_000)
        ).build(input)
    }

    /// The recomputation: the rollups whose hour is a compared day in `zone`, on a route with a baseline.
    static func recompute(
        _ rollups: [UsageRollup], zone: String = "Europe/London", first: CivilDate = B.day(2026, 11, 16),
        last: CivilDate = B.day(2026, 11, 22)
    ) -> (actual: Decimal, counterfactual: Decimal, requests: Int, unknown: Int) {
        let tz = TimeZone(identifier: zone)!
        var out: (actual: Decimal, counterfactual: Decimal, requests: Int, unknown: Int) = (0, 0, 0, 0)
        for r in rollups {
            let day = CivilDate(r.hour, in: tz)
            guard day >= first, day <= last, let baseline = baselines[r.route] else { continue }
            out.actual += r.cost
            out.counterfactual +=
                (Decimal(r.inputTokens) * baseline.prices.inputPer1K + Decimal(r.outputTokens) * baseline.prices.outputPer1K) / 1000
            out.requests += r.requests
            out.unknown += r.unknownUsage
        }
        return out
    }

    // MARK: - Baselines

    @Test func baselineIsTheDearestTargetUnlessConfigured() {
        let b = Self.baselines
        #expect(b["chat"] == SavingsBaseline(target: "gpt4", prices: Self.prices["gpt4"]!, choice: .mostExpensiveTarget))
        #expect(b["code"] == SavingsBaseline(target: "gpt35", prices: Self.prices["gpt35"]!, choice: .configured))
        // A route with one target is its own baseline: a saving of 0, honestly.
        #expect(b["embeddings"]?.target == "embeddings")
        // On a tie the route's first target; a route with no priced target, and
        // a configured target with no price, get none.
        let tie = SavingsBaseline.baselines(
            routes: ["local": ["llama3", "mistral"], "ghost": ["nowhere"], "odd": ["gpt4"]],
            prices: Self.prices, configured: ["odd": "nowhere"])
        #expect(tie["local"]?.target == "llama3")
        #expect(tie["ghost"] == nil && tie["odd"] == nil)
    }

    @Test func baselinesFromTheConfigsRoutingSection() {
        func target(_ name: String, _ backend: RouteTargetSettings.Backend) -> RouteTargetSettings {
            RouteTargetSettings(
                name: name, backend: backend, model: name, inputCostPer1K: Self.prices[name]!.inputPer1K,
                outputCostPer1K: Self.prices[name]!.outputPer1K)
        }
        let routing = RoutingSettings(
            targets: [
                target("gpt4", .azureOpenAI), target("gpt35", .azureOpenAI), target("embeddings", .azureOpenAI),
                target("llama3", .ollama), target("codellama", .ollama), target("mistral", .ollama),
            ],
            routes: [
                RouteSettings(
                    name: "chat", policy: .weighted, weights: [("gpt4", 40), ("gpt35", 40), ("llama3", 20)],
                    fallback: ["gpt35", "llama3", "mistral"]),
                RouteSettings(
                    name: "code", policy: .weighted, weights: [("gpt4", 30), ("codellama", 70)], fallback: ["gpt35", "codellama"]),
                RouteSettings(name: "embeddings", policy: .priority, weights: [("embeddings", 100)], fallback: []),
            ],
            savingsBaseline: ["code": "gpt35"])
        #expect(SavingsBaseline.baselines(routing) == Self.baselines)
        let input = UsageReportInput(rollups: [], source: "x", routing: routing)
        #expect(input.baselines == Self.baselines)
        #expect(input.azureTargets == Self.azure)
    }

    // MARK: - Figures

    @Test func savingsEqualARecomputationFromTheRollups() throws {
        let s = try #require(try Self.report().routingSavings)
        let expected = Self.recompute(Self.rollups)
        #expect(s.actual == expected.actual)
        #expect(s.counterfactual == expected.counterfactual)
        #expect(s.saving == expected.counterfactual - expected.actual)
        #expect(s.requests == expected.requests)
        #expect(s.unknownUsageRequests == expected.unknown)
        #expect(s.savingPercent == (expected.counterfactual - expected.actual) * 100 / expected.counterfactual)
        // By hand: chat's 121,000 in and 28,000 out at gpt4's prices; code's
        // 65,000 and 32,000 at gpt35's; embeddings at its own.
        #expect(s.routes.map(\.route) == ["chat", "code", "embeddings"])
        #expect(s.routes[0].counterfactual == Self.d("1.6195"))  // 121 × 0.0079 + 28 × 0.0237
        #expect(s.routes[0].actual == Self.d("0.176"))  // 0.1264 + 0.018 + 0 + 0.0316
        #expect(s.routes[0].requests == 81 && s.routes[0].unknownUsageRequests == 2)
        #expect(s.routes[1].counterfactual == Self.d("0.0644"))  // 65 × 0.0004 + 32 × 0.0012
        #expect(s.routes[1].actual == Self.d("0.0869"))  // codellama free, gpt4's 5,000 and 2,000
        // A configured baseline cheaper than what was used: a negative saving, shown as it is.
        #expect(s.routes[1].saving == Self.d("-0.0225"))
        #expect(s.routes[1].baseline.choice == .configured)
        #expect(s.routes[2].saving == 0)
        #expect(s.routesWithoutBaseline == ["legacy"])
    }

    @Test func theMethodSaysTheFormulaThePricesAndWhatIsLeftOut() throws {
        let method = try #require(try Self.report().routingSavings).method
        for phrase in [
            "input tokens times", "divided by 1,000", "routing.targets of the config", "routing.savings_baseline",
            "counterfactual minus actual", "2026-11-16 to 2026-11-22 (Europe/London)", "3 requests answered without token counts",
            "no baseline (legacy)",
        ] {
            #expect(method.contains(phrase), "\(phrase) not in: \(method)")
        }
    }

    @Test func hoursNearMidnightFallOnTheBillingDay() throws {
        // New York is five hours behind UTC in November.
        var plan = B.plan
        plan.billingTimeZone = "America/New_York"
        let edge = [
            Self.rollup("2026-11-16T04:00:00Z", "k", "chat", "gpt4", requests: 1, input: 1_000, output: 0),  // 15 Nov 23:00: before
            Self.rollup("2026-11-16T05:00:00Z", "k", "chat", "gpt4", requests: 2, input: 2_000, output: 0),  // 16 Nov 00:00: in
            Self.rollup("2026-11-23T04:00:00Z", "k", "chat", "gpt4", requests: 4, input: 4_000, output: 0),  // 22 Nov 23:00: in
            Self.rollup("2026-11-23T05:00:00Z", "k", "chat", "gpt4", requests: 8, input: 8_000, output: 0),  // 23 Nov 00:00: after
        ]
        let report = try Self.report(plan: plan, usage: Self.usage(edge))
        let s = try #require(report.routingSavings)
        #expect(s.requests == 6)
        #expect(s.actual == Self.recompute(edge, zone: "America/New_York").actual)
        #expect(s.actual == Self.d("0.0474"))  // 6,000 tokens at 0.0079
        #expect(report.keySpend?.first?.previousCost == Self.d("0.0079"))  // the 15th is last week's
        #expect(s.method.contains("(America/New_York)"))
    }

    @Test func keySpendIsCostliestFirstWithLastWeekBeside() throws {
        let keys = try #require(try Self.report().keySpend)
        #expect(keys.map(\.name) == ["team-a", "team-b", "team-c", "team-d"])
        #expect(keys[0].cost == Self.d("0.2313"))  // 0.1264 + 0.018 + 0.0869
        #expect(keys[0].requests == 35 && keys[0].unknownUsageRequests == 2)
        #expect(keys[0].inputTokens == 45_000 && keys[0].outputTokens == 9_000)
        #expect(keys[0].previousCost == Self.d("3.16"))  // 100,000 in and out at gpt4's prices
        #expect(keys[1].cost == Self.d("0.0316"))
        #expect(keys[2].cost == Self.d("0.0176"))  // embeddings 0.016 + legacy 0.0016
        #expect(keys[3].cost == 0 && keys[3].requests == 0 && keys[3].previousCost == 0)  // only last week
    }

    @Test func routeSpendByRouteAndTarget() throws {
        let routes = try #require(try Self.report().routeSpend)
        #expect(routes.map(\.total.name) == ["chat", "code", "embeddings", "legacy"])
        #expect(routes[0].total.cost == Self.d("0.176"))
        #expect(routes[0].targets.map(\.name) == ["gpt4", "gpt35", "llama3"])
        #expect(routes[0].targets.map(\.cost) == [Self.d("0.158"), Self.d("0.018"), 0])
        #expect(routes[0].targets.map(\.requests) == [11, 20, 50])
        #expect(routes[1].targets.map(\.name) == ["gpt4", "codellama"])
        // Every route's targets sum to it.
        for route in routes {
            #expect(route.targets.reduce(0) { $0 + $1.cost } == route.total.cost)
            #expect(route.targets.reduce(0) { $0 + $1.requests } == route.total.requests)
        }
    }

    @Test func ledgerBesideTheInvoice() throws {
        let report = try Self.report()
        let l = try #require(report.ledgerVersusInvoice)
        #expect(l.days == report.comparedDays)
        // Azure targets: chat's gpt4 and gpt35, code's gpt4, embeddings, legacy's gpt35.
        #expect(l.ledgerAzure == Self.d("0.2805"))  // 0.1264 + 0.018 + 0.0869 + 0.016 + 0.0316 + 0.0016
        #expect(l.ledgerOther == 0)
        #expect(l.invoice == 70)  // Azure AI Services, £10 a day for 7 days
        #expect(l.difference == 70 - Self.d("0.2805"))
        for phrase in ["not billed by Azure", "routing.targets of the config", "may differ", "72 hours", "other clients"] {
            #expect(l.explanation.contains(phrase), "\(phrase)")
        }
    }

    @Test func withoutTheLedgerTheReportSaysWhyNeverZeros() throws {
        let reason = "no usage ledger at /home/x/.local/state/qlp/usage.sqlite: the gateway has not run on this machine"
        let report = try Self.report(usage: nil, note: reason)
        #expect(report.routingSavings == nil && report.keySpend == nil && report.routeSpend == nil && report.ledgerVersusInvoice == nil)
        #expect(!report.hasUsage)
        #expect(report.usageNote == reason)
        #expect(report.modelSpend.note.contains("usage ledger"))
        for format in [ReportFormat.table, .markdown] {
            let text = ReportRenderer.render(report, as: format)
            #expect(text.contains("Routing savings"))
            #expect(text.contains("Not computed: " + (format == .markdown ? MarkdownText.escaped(reason) : reason) + "."), "\(text)")
        }
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(ReportRenderer.render(report, as: .json).utf8)) as? [String: Any])
        #expect(object["routing_savings"] is NSNull && object["key_spend"] is NSNull && object["route_spend"] is NSNull)
        #expect(object["ledger_vs_invoice"] is NSNull)
        let ledger = try #require(object["usage_ledger"] as? [String: Any])
        #expect(ledger["status"] as? String == "not_read" && ledger["note"] as? String == reason)
        let csv = ReportRendererTests.parseCSV(ReportRenderer.render(report, as: .csv))
        #expect(csv.contains(["usage", "ledger", "not_read", reason, ""]))
        #expect(!csv.contains { $0.first == "routing_savings" })
    }

    @Test func theModelSpendNotePointsToTheSavings() throws {
        #expect(try Self.report().modelSpend.note.contains("under Routing savings"))
    }

    // MARK: - Renderers

    @Test func jsonHasTheSavingsAsRecomputedAndFollowsTheSchema() throws {
        let report = try Self.report()
        let json = ReportRenderer.render(report, as: .json)
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let schema = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ReportRendererTests.schemaPath)))
                as? [String: Any])
        let problems = SchemaCheck.violations(of: value, against: schema)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        let object = try #require(value as? [String: Any])
        #expect(object["schema_version"] as? Int == 2)
        let savings = try #require(object["routing_savings"] as? [String: Any])
        let expected = Self.recompute(Self.rollups)
        // JSONSerialization reads numbers as doubles: their shortest text is what was written.
        func money(_ key: String) -> Decimal? { (savings[key] as? NSNumber).flatMap { Decimal(string: $0.stringValue) } }
        #expect(money("actual") == expected.actual.rounded(scale: 2))
        #expect(money("counterfactual") == expected.counterfactual.rounded(scale: 2))
        #expect(money("saving") == (expected.counterfactual - expected.actual).rounded(scale: 2))
        #expect(money("saving_percent") == ((expected.counterfactual - expected.actual) * 100 / expected.counterfactual).rounded(scale: 2))
        #expect(savings["requests"] as? Int == expected.requests)
        #expect(savings["unknown_usage_requests"] as? Int == expected.unknown)
        #expect(savings["method"] as? String == report.routingSavings?.method)
        let routes = try #require(savings["routes"] as? [[String: Any]])
        #expect(routes.map { $0["route"] as? String } == ["chat", "code", "embeddings"])
        let baseline = try #require(routes[1]["baseline"] as? [String: Any])
        #expect(baseline["target"] as? String == "gpt35" && baseline["choice"] as? String == "configured")
        let keys = try #require(object["key_spend"] as? [[String: Any]])
        #expect(keys.map { $0["name"] as? String } == ["team-a", "team-b", "team-c", "team-d"])
        let routeSpend = try #require(object["route_spend"] as? [[String: Any]])
        #expect((routeSpend.first?["targets"] as? [[String: Any]])?.count == 3)
        let ledger = try #require(object["ledger_vs_invoice"] as? [String: Any])
        #expect((ledger["cost_management_azure_openai"] as? NSNumber)?.decimalValue == 70)
        #expect((object["usage_ledger"] as? [String: Any])?["status"] as? String == "read")
    }

    @Test func markdownAndTableShowTheFiguresWithTheMethodUnderThem() throws {
        let report = try Self.report()
        let s = try #require(report.routingSavings)
        let markdown = ReportRenderer.render(report, as: .markdown)
        let table = ReportRenderer.render(report, as: .table)
        #expect(markdown.contains("## Routing savings"))
        #expect(markdown.contains("| Route | Baseline | Requests | Actual | Counterfactual | Saving |"))
        #expect(markdown.contains("| chat | gpt4 (most expensive) | 81 | £0.18 | £1.62 | £1.44 |"), "\(markdown)")
        #expect(markdown.contains("| code | gpt35 (configured) | 35 | £0.09 | £0.06 | -£0.02 |"))
        #expect(markdown.contains("- Method: " + MarkdownText.escaped(s.method)))
        #expect(table.contains("Method: " + s.method))
        for text in [markdown, table] {
            // The method comes under the figures, and spend by key and route follow.
            let figures = try #require(text.range(of: "Counterfactual"))
            let method = try #require(text.range(of: "Method: "))
            #expect(figures.lowerBound < method.lowerBound)
            for title in ["Spend by key", "Spend by route", "Usage ledger against the invoice"] { #expect(text.contains(title)) }
            #expect(text.contains("Left out: 3 requests answered without token counts."))
        }
        #expect(markdown.contains("| team-a | 35 | 45,000 | 9,000 | £0.23 | £3.16 |"), "\(markdown)")
        #expect(markdown.contains("| chat | gpt4 | 11 | 11,000 | 3,000 | £0.16 | £3.16 |"), "\(markdown)")
        #expect(table.contains("Difference (Cost Management minus ledger)"))
        // Markdown tables keep their shape.
        for block in markdown.components(separatedBy: "\n\n") where block.hasPrefix("|") {
            let lines = block.split(separator: "\n")
            let width = lines[0].filter { $0 == "|" }.count
            #expect(lines.allSatisfy { $0.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == width })
        }
    }

    @Test func csvCarriesTheSavingsTheMethodAndTheSpend() throws {
        let report = try Self.report()
        let rows = ReportRendererTests.parseCSV(ReportRenderer.render(report, as: .csv))
        #expect(rows.allSatisfy { $0.count == 5 })
        let expected = Self.recompute(Self.rollups)
        #expect(rows.contains(["routing_savings", "Total", "actual", ReportCSV.plain(expected.actual), "GBP"]))
        #expect(rows.contains(["routing_savings", "Total", "counterfactual", ReportCSV.plain(expected.counterfactual), "GBP"]))
        #expect(rows.contains(["routing_savings", "Total", "saving", ReportCSV.plain(expected.counterfactual - expected.actual), "GBP"]))
        #expect(rows.contains(["routing_savings", "Total", "unknown_usage_requests", "3", "requests"]))
        #expect(rows.contains(["routing_savings", "code", "baseline", "gpt35", "configured"]))
        #expect(rows.contains(["routing_savings", "method", "method", report.routingSavings!.method, ""]))
        #expect(rows.contains(["key", "team-a", "cost", "0.23", "GBP"]))
        #expect(rows.contains(["route_target", "chat / gpt35", "requests", "20", "requests"]))
        #expect(rows.contains(["ledger_vs_invoice", "Cost Management, Azure OpenAI", "amount", "70.00", "GBP"]))
        #expect(rows.contains { $0[0] == "ledger_vs_invoice" && $0[2] == "explanation" && $0[3].contains("not billed by Azure") })
    }
}
