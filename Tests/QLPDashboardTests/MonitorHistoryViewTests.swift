import Foundation
import QLPCanvas
import QLPDashboard
import Testing

@testable import QLPFeed

/// The Monitor view over kept history: the heading names the span drawn,
/// every row shares it, and points from an earlier run say so.
@Suite struct MonitorHistoryViewTests {
    typealias F = DashboardFixtures

    static func state(counts: [Int], source: PanelData<MonitorPanel>.Source = .live, longNames: Bool = false) -> DashboardState {
        var state = F.state()
        let rows = counts.enumerated().map { index, count in
            MetricRow(
                resource: (longNames ? "quantumlayer-prod-aks-" : "res") + "\(index)",
                metric: (longNames ? "node_memory_working_set_percentage_" : "metric") + "\(index)", unit: "Percent", latest: 1,
                latestAt: F.now,
                series: (0..<count).map { Double($0 % 9) }, failure: nil)
        }
        state.monitor.succeed(MonitorPanel(rows: rows, failedResources: []), at: F.now.addingTimeInterval(-10), source: source)
        return state
    }

    static func render(_ state: DashboardState, _ size: Size) -> [String] {
        var interaction = DashboardInteraction()
        interaction.view = .monitor
        return DashboardScreen(state: state, interaction: interaction).render(size: size, context: F.context()).lines
    }

    static func blocks(_ line: String) -> Int { line.filter { "▁▂▃▄▅▆▇█".contains($0) }.count }

    @Test func aWideTerminalShowsTheKeptSpanAndNamesIt() throws {
        // Five hours kept for one metric, Azure's three for the other.
        let lines = Self.render(Self.state(counts: [60, 36]), Size(width: 200, height: 50))
        let header = try #require(lines.firstIndex { $0.contains("RESOURCE") }, "\(lines.joined(separator: "\n"))")
        #expect(lines[header].contains("LAST 5 HOURS"), "\(lines[header])")
        #expect(lines.joined().contains("before the last 3 hours, kept from earlier fetches"))
        // One time axis: the three-hour row ends where the five-hour row ends and covers 36 of its 60 columns.
        #expect(lines[header + 1].count == lines[header + 2].count)
        #expect(Self.blocks(lines[header + 1]) == 60 && Self.blocks(lines[header + 2]) == 36)
    }

    @Test func aNarrowTerminalKeepsAzuresThreeHours() throws {
        // Long names leave the sparkline its minimum of 12 cells.
        let lines = Self.render(Self.state(counts: [60, 36], longNames: true), Size(width: 80, height: 24))
        let header = try #require(lines.firstIndex { $0.contains("RESOURCE") })
        #expect(lines[header].contains("LAST 3 HOURS"), "\(lines[header])")
        #expect(!lines.joined().contains("kept from earlier fetches"))
        #expect(Self.blocks(lines[header + 1]) == Self.blocks(lines[header + 2]))
    }

    @Test func pointsFromAnEarlierRunAreMarked() throws {
        let lines = Self.render(Self.state(counts: [36], source: .cache), Size(width: 100, height: 30))
        #expect(
            lines[lines.firstIndex { $0.contains("AZURE MONITOR") }!].contains("STALE: kept from an earlier run"),
            "\(lines.joined(separator: "\n"))")
        let header = try #require(lines.firstIndex { $0.contains("RESOURCE") })
        #expect(Self.blocks(lines[header + 1]) > 0)
    }
}
