import Foundation
import QLPCanvas
import QLPDashboard
import Testing

@testable import QLPFeed

/// A 200-column terminal spends its width on data: headings stand over their
/// columns and no column opens a wide empty gap.
@Suite struct WideLayoutTests {
    typealias F = DashboardFixtures
    static let wide = Size(width: 200, height: 50)

    static func render(_ view: DashboardView, _ state: DashboardState, size: Size = wide) -> Canvas {
        var interaction = DashboardInteraction()
        interaction.view = view
        return DashboardScreen(state: state, interaction: interaction).render(size: size, context: F.context())
    }

    /// The display column where `needle` starts in `line`, counted in characters (the lines are one cell a character).
    static func column(of needle: String, in line: String) -> Int? {
        line.range(of: needle).map { line.distance(from: line.startIndex, to: $0.lowerBound) }
    }

    static func firstBlock(in line: String, from start: Int) -> Int? {
        let blocks = Set("▁▂▃▄▅▆▇█")
        return Array(line).enumerated().first { $0.offset >= start && blocks.contains($0.element) }?.offset
    }

    @Test func monitorSparklinesStartUnderTheirHeading() throws {
        var state = F.state()
        let series: [Double?] = (0..<36).map { Double($0 % 7) }
        state.monitor.succeed(
            MonitorPanel(
                rows: [
                    MetricRow(
                        resource: "qlp-aks", metric: "node_cpu_usage_percentage", unit: "Percent", latest: 31.8, latestAt: F.now,
                        series: series, failure: nil),
                    MetricRow(
                        resource: "qlp-redis", metric: "serverLoad", unit: "Percent", latest: 9.3, latestAt: F.now,
                        series: Array(series.suffix(20)), failure: nil),
                ], failedResources: []), at: F.now)
        for size in [Self.wide, Size(width: 80, height: 24)] {
            let lines = Self.render(.monitor, state, size: size).lines
            let header = try #require(lines.firstIndex { $0.contains("LAST 3 HOURS") })
            let headingX = try #require(Self.column(of: "LAST 3 HOURS", in: lines[header]))
            let full = try #require(Self.firstBlock(in: lines[header + 1], from: headingX - 2))
            #expect(
                full == headingX,
                "at \(size) the 36-point sparkline starts at \(full), its heading at \(headingX):\n\(lines.joined(separator: "\n"))")
            // A shorter series ends where the others end: the newest point is always at the right.
            let fullEnd = lines[header + 1].count
            #expect(lines[header + 2].count == fullEnd)
        }
    }

    @Test func modelsSpendTheSpareWidthOnTheLatencySparklineAndEvenSpacing() throws {
        var state = ScreenLayoutTests.state()
        var stats = ScreenLayoutTests.stats()
        stats[0].recentLatency = (0..<600).map { Double(800 + ($0 % 50) * 10) }
        state.models.succeed(stats, at: F.now)
        let lines = Self.render(.models, state).lines
        let header = try #require(lines.firstIndex { $0.contains("PROBE") })
        let latencyX = try #require(Self.column(of: "LATENCY", in: lines[header]))
        let ttftX = try #require(Self.column(of: "TTFT", in: lines[header]))
        let gpt4 = try #require(lines.first { $0.contains("gpt4") })
        let blocks = Array(gpt4)[latencyX..<ttftX].filter { "▁▂▃▄▅▆▇█".contains($0) }.count
        #expect(blocks >= 40, "600 points drawn in \(blocks) cells:\n\(gpt4)")
        // The rest of the width is spacing between every column, not one gap (as there was before PROBE).
        let shareEnd = try #require(Self.column(of: "SHARE", in: lines[header])) + 5
        let probeX = try #require(Self.column(of: "PROBE", in: lines[header]))
        #expect(probeX - shareEnd <= 8, "a gap of \(probeX - shareEnd) before PROBE:\n\(lines[header])")
        #expect(lines[header].hasSuffix("PROBE") && lines[header].count >= Self.wide.width - 3, "\(lines[header])")
    }

    @Test func auditSizesWhoFromTheNames() throws {
        func state(_ actors: [String]) -> DashboardState {
            RoutingViewTests.state(
                audit: actors.map {
                    RouteAuditLine(
                        at: F.now, actor: $0, summary: "chat weights: gpt4 40→30, gpt35 40→46, llama3 20→24", outcome: .applied,
                        fromVersion: 2, toVersion: 3)
                })
        }
        // Names the old 10-cell column cut: an automatic rule's and an operator's full login.
        let names = ["budget-rule", "margaret.hamilton"]
        let wide = Self.render(.audit, state(names)).text
        for name in names { #expect(wide.contains(name + "  "), "\(name) cut at 200 columns:\n\(wide)") }
        let narrow = Self.render(.audit, state(names), size: Size(width: 80, height: 24))
        #expect(narrow.text.contains("budget-rule  "), "budget-rule cut at 80 columns:\n\(narrow.text)")
        // At 80 columns the longest name gives way (with the ellipsis) before CHANGE does.
        #expect(narrow.text.contains("margaret.hamilt…"), "\(narrow.text)")
        let header = try #require(narrow.lines.first { $0.contains("OUTCOME") })
        #expect(header.contains("VERSION"), "\(header)")
        // Short names leave CHANGE the width.
        let short = Self.render(.audit, state(["bob"])).lines
        let shortHeader = try #require(short.first { $0.contains("OUTCOME") })
        #expect(shortHeader.contains("WHO  CHANGE"), "\(shortHeader)")
    }

    @Test func routingHelpLeavesTheWeightsAndSharesInSight() throws {
        let state = RoutingViewTests.state()
        var interaction = DashboardInteraction()
        interaction.view = .routing
        let plain = DashboardScreen(state: state, interaction: interaction).render(size: Self.wide, context: F.context())
        interaction.showHelp = true
        let helped = DashboardScreen(state: state, interaction: interaction).render(size: Self.wide, context: F.context())
        if ProcessInfo.processInfo.environment["QLP_DUMP_SCREENS"] != nil { print(helped.text) }
        #expect(helped.text.contains("Keys: Routing"), "\(helped.text)")
        // Every percentage and every target and route name the view shows is still in sight.
        func words(_ line: String) -> [Substring] {
            line.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "%" })
        }
        for (n, line) in plain.lines.enumerated() where n > 0 && n < Self.wide.height - 1 {
            for word in words(line) where word.hasSuffix("%") || ["chat", "code", "embeddings", "gpt4", "gpt35", "llama3"].contains(word) {
                #expect(words(helped.lines[n]).contains(word), "row \(n) lost '\(word)' under the help:\n\(helped.text)")
            }
        }
        // The title and help bars stay clear.
        #expect(helped.lines[0] == plain.lines[0])
        #expect(helped.lines[Self.wide.height - 1] == plain.lines[Self.wide.height - 1])
    }
}
