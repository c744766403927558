import Foundation
import QLPCanvas
import QLPDashboard
import Testing

/// Every view with gateway data at both sizes: nothing cut without an
/// ellipsis, nothing running into the edge. QLP_DUMP_SCREENS=1 prints them.
@Suite struct ScreenLayoutTests {
    typealias F = DashboardFixtures

    static func stats() -> [ModelTargetStats] {
        [
            ModelTargetStats(
                target: "gpt4", backend: "azure-openai", state: .ok, p50Milliseconds: 820, p95Milliseconds: 1900,
                p99Milliseconds: 2600, recentLatency: [800, 900, 1200, 700, 850, 1900, 640], ttftMilliseconds: 310,
                tokensPerSecond: 42, errorRate: 0.002, breaker: .closed, inputCostPer1K: F.d("0.0079"), outputCostPer1K: F.d("0.0237"),
                observedShare: 0.41,
                lastProbe: F.now.addingTimeInterval(-20)),
            ModelTargetStats(
                target: "gpt35", backend: "azure-openai", state: .ok, p50Milliseconds: 310, p95Milliseconds: 640,
                p99Milliseconds: 900, recentLatency: [300, 320, 290, 640], ttftMilliseconds: 120, tokensPerSecond: 95,
                errorRate: 0.03, breaker: .halfOpen, inputCostPer1K: F.d("0.0004"), outputCostPer1K: F.d("0.0012"), observedShare: 0.39),
            ModelTargetStats(target: "llama3", backend: "ollama", state: .down, breaker: .open, observedShare: 0.2),
        ]
    }

    static func state() -> DashboardState {
        var state = RoutingViewTests.state(audit: [
            RouteAuditLine(
                at: F.now, actor: "alice", summary: "chat weights: gpt4 40→30, gpt35 40→46, llama3 20→24",
                outcome: .applied, fromVersion: 2, toVersion: 3)
        ])
        state.gatewayStatsConnected = true
        state.models.succeed(stats(), at: F.now)
        return state
    }

    @Test(arguments: DashboardView.allCases)
    func everyViewFitsAtEachSize(_ view: DashboardView) {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var i = DashboardInteraction()
            i.view = view
            _ = i.handle(.character("+"), state: Self.state())
            let canvas = DashboardScreen(state: Self.state(), interaction: i).render(size: size, context: F.context())
            if ProcessInfo.processInfo.environment["QLP_DUMP_SCREENS"] != nil { print("=== \(view) \(size)\n\(canvas.text)") }
            // Free text in a table column (an audit summary) may be cut, with the ellipsis.
            let labels = canvas.lines.filter { !(view == .audit && $0.contains("alice")) }.joined(separator: "\n")
            #expect(!labels.replacingOccurrences(of: "fetching…", with: "").contains("…"), "\(view) at \(size):\n\(canvas.text)")
            for (n, line) in canvas.lines.enumerated() where n > 0 && n < size.height - 1 {
                #expect(line.count < size.width, "\(view) at \(size) row \(n) runs to the edge: \(line)")
            }
        }
    }

    @Test func modelsSortAndFilter() {
        let rows = ModelsView.rows(Self.stats(), sort: .p95, filter: "")
        #expect(rows.map(\.target) == ["gpt4", "gpt35", "llama3"])
        #expect(ModelsView.rows(Self.stats(), sort: .errorRate, filter: "").first?.target == "gpt35")
        #expect(ModelsView.rows(Self.stats(), sort: .target, filter: "OLLAMA").map(\.target) == ["llama3"])
        var i = DashboardInteraction()
        i.view = .models
        for key in ["/", "d", "o", "w", "n"] { _ = i.handle(.character(Character(key)), state: Self.state()) }
        _ = i.handle(.enter, state: Self.state())
        #expect(i.modelFilter == "down")
        let text = DashboardScreen(state: Self.state(), interaction: i).render(size: Size(width: 120, height: 40), context: F.context())
            .text
        #expect(text.contains("llama3") && !text.contains("gpt35"))
        #expect(text.contains("filter: down"))
    }
}
