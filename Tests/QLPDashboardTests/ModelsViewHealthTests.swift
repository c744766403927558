import Foundation
import QLPCanvas
import QLPDashboard
import Testing

/// Issue 17 in the Models view: each target's state with the reason for any
/// that is not ok, at 80x24 too, and a unit on every figure and heading.
@Suite struct ModelsViewHealthTests {
    typealias F = DashboardFixtures
    static let downSince = F.now.addingTimeInterval(-95)

    static func stats() -> [ModelTargetStats] {
        let refused = "cannot connect to 10.0.0.4 port 443 at 17:40:35 (2 probes failed in a row)"
        return [
            ModelTargetStats(
                target: "gpt4", backend: "azure-openai", state: .slow, reason: "p95 7.8 s over the 4 s SLO",
                since: F.now.addingTimeInterval(-40), p50Milliseconds: 7100, p95Milliseconds: 7805,
                p99Milliseconds: 8020, errorRate: 0, inputCostPer1K: F.d("0.0079"), outputCostPer1K: F.d("0.0237"),
                observedShare: 0.41),
            ModelTargetStats(
                target: "gpt35", backend: "azure-openai", state: .down, reason: refused, since: downSince,
                errorRate: 1, breaker: .open, inputCostPer1K: F.d("0.0004"), outputCostPer1K: F.d("0.0012")),
            ModelTargetStats(
                target: "embeddings", backend: "azure-openai", state: .down, reason: refused, since: downSince,
                inputCostPer1K: F.d("0.00008"), outputCostPer1K: 0),
            ModelTargetStats(
                target: "llama3", backend: "ollama", state: .ok, reason: "p95 900 ms within the 5 s SLO",
                since: downSince, p95Milliseconds: 900, inputCostPer1K: 0, outputCostPer1K: 0),
            ModelTargetStats(
                target: "mistral", backend: "ollama", state: .unknown, reason: "not probed nor requested yet",
                since: downSince),
        ]
    }

    static func screen(_ size: Size) -> Canvas {
        var state = ScreenLayoutTests.state()
        state.models.succeed(stats(), at: F.now)
        var i = DashboardInteraction()
        i.view = .models
        return DashboardScreen(state: state, interaction: i).render(size: size, context: F.context())
    }

    @Test func at80x24EveryTargetNotOkSaysWhyAndSinceWhen() {
        let canvas = Self.screen(Size(width: 80, height: 24))
        let text = canvas.text
        for target in ["gpt35", "embeddings"] {
            #expect(
                canvas.lines.contains { $0.contains("\(target) down since 17:40:30 UTC: cannot connect to 10.0.0.4 port 443") },
                "\(target):\n\(text)")
        }
        #expect(canvas.lines.contains { $0.contains("gpt4 slow since 17:41:25 UTC: p95 7.8 s over the 4 s SLO") }, "\(text)")
        #expect(canvas.lines.contains { $0.contains("mistral unknown since") }, "\(text)")
        #expect(!canvas.lines.contains { $0.contains("llama3 ok since") }, "an ok target needs no explaining:\n\(text)")
        #expect(canvas.lines.contains { $0.contains("STATE") && $0.contains("P95 ms") }, "\(text)")
        for (n, line) in canvas.lines.enumerated() where n > 0 && n < 23 {
            #expect(line.count < 80, "row \(n) runs to the edge: \(line)")
        }
    }

    /// Every heading names its unit; input and output prices stand apart, per million tokens.
    @Test func everyHeadingHasItsUnitAndPricesAreInputAndOutput() throws {
        let canvas = Self.screen(Size(width: 160, height: 40))
        let header = try #require(canvas.lines.first { $0.contains("TARGET") && $0.contains("STATE") }, "\(canvas.text)")
        for heading in ["P50 ms", "P95 ms", "P99 ms", "TTFT ms", "TOK/S", "ERR %", "IN/1M", "OUT/1M", "SHARE"] {
            #expect(header.contains(heading), "\(heading) in \(header)")
        }
        #expect(!header.contains("/1M TOK"), "no blended price: \(header)")
        let gpt4 = try #require(canvas.lines.first { $0.contains("gpt4") && $0.contains("azure-openai") }, "\(canvas.text)")
        #expect(gpt4.contains("£7.90") && gpt4.contains("£23.70"), "input and output per 1M apart: \(gpt4)")
        #expect(gpt4.contains("slow"), "\(gpt4)")
    }

    @Test func theFilterFindsTargetsByState() {
        #expect(ModelsView.rows(Self.stats(), sort: .target, filter: "down").map(\.target) == ["embeddings", "gpt35"])
        #expect(ModelsView.rows(Self.stats(), sort: .cost, filter: "").first?.target == "gpt4")
    }
}
