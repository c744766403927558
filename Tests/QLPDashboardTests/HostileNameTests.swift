import Foundation
import QLPCanvas
import QLPCore
import QLPDashboard
import Testing

@testable import QLPFeed

/// Issue 5, acceptance 7 on the canvas: a name from outside that holds escape
/// sequences and C1 controls reaches the screen inert, and still readable.
@Suite struct HostileNameTests {
    typealias F = DashboardFixtures

    /// A name that would clear the screen (ESC [2J), retitle the window (OSC 0
    /// ending in BEL), ask for the cursor position through a C1 CSI (U+009B),
    /// retitle again through a C1 OSC (U+009D), ring the bell, back up and
    /// return the carriage.
    static let hostile =
        "\u{1B}[2J" + "\u{1B}]0;PWNED\u{07}" + "Event" + "\u{9B}6n" + "\u{9D}0;HIJACK\u{07}" + "\u{07}"
        + "Grid" + "\u{08}" + "\r" + "!"
    /// What is left to see: the sequences gone whole, each lone control a `?`.
    static let inert = "Event?Grid??!"

    /// The code points the name carries that must not reach a cell.
    static let forbidden: Set<UInt32> = [0x1B, 0x07, 0x08, 0x0D, 0x9B, 0x9D]

    /// Every C0, DEL or C1 code point on the canvas (lines are joined by the test, not the canvas).
    static func controls(_ canvas: Canvas) -> [UInt32] {
        canvas.lines.flatMap { $0.unicodeScalars.map(\.value) }.filter { $0 < 0x20 || (0x7F..<0xA0).contains($0) }
    }

    /// The fixture's spend, with the unmapped service ("Event Grid") reported under the hostile name.
    static func stateWithHostileService() -> DashboardState {
        var state = DashboardState(identity: F.identity, plan: F.plan, costRefresh: .seconds(60))
        let costs = F.costs.map { row in
            row.service == "Event Grid" ? DailyCost(day: row.day, service: hostile, amount: row.amount, currency: row.currency) : row
        }
        let overview = BudgetOverview(plan: F.plan, costs: costs, today: F.today)
        state.cost.succeed(CostPanel(overview: overview, costs: costs, pages: 1), at: F.now.addingTimeInterval(-12))
        return state
    }

    @Test func theHostileNameIsReallyInTheState() {
        // The check below can only pass for the right reason if the raw controls got this far.
        let names = Self.stateWithHostileService().cost.value?.overview.unmapped.services.map(\.name) ?? []
        #expect(names.contains(Self.hostile))
        #expect(Self.hostile.unicodeScalars.contains { Self.forbidden.contains($0.value) })
    }

    @Test(arguments: [Size(width: 100, height: 30), Size(width: 80, height: 24), Size(width: 200, height: 50)])
    func aServiceNameFromCostManagementIsInertOnTheOverview(_ size: Size) {
        let canvas = DashboardScreen(state: Self.stateWithHostileService()).render(size: size, context: F.context())
        #expect(Self.controls(canvas).isEmpty, "controls on the canvas at \(size): \(Self.controls(canvas).map { String($0, radix: 16) })")
        let text = canvas.text
        #expect(!text.unicodeScalars.contains { Self.forbidden.contains($0.value) })
        #expect(!text.contains("PWNED") && !text.contains("HIJACK"), "an OSC's title was shown as text")
        #expect(!text.contains("[2J") && !text.contains("6n"), "a sequence's remains were shown")
        let line = canvas.lines.first { $0.contains("not in any bucket:") } ?? ""
        #expect(line.contains("not in any bucket: " + Self.inert), "at \(size):\n\(text)")
    }

    @Test func aResourceAndMetricNameAreInertOnTheMonitor() {
        var state = F.state()
        let series: [Double?] = (0..<36).map { Double($0 % 7) }
        state.monitor.succeed(
            MonitorPanel(
                rows: [
                    MetricRow(
                        resource: Self.hostile, metric: "cpu" + Self.hostile, unit: "Percent", latest: 38.2, latestAt: F.now,
                        series: series,
                        failure: nil),
                    MetricRow(
                        resource: "qlp-redis", metric: "usedmemory", unit: "Bytes", latest: nil, latestAt: nil, series: [],
                        failure: "Azure said: " + Self.hostile),
                ], failedResources: [(name: "qlp-sql", reason: Self.hostile)]), at: F.now.addingTimeInterval(-5))
        let canvas = DashboardScreen(state: state, view: .monitor).render(size: Size(width: 100, height: 30), context: F.context())
        #expect(Self.controls(canvas).isEmpty, "\(Self.controls(canvas).map { String($0, radix: 16) })")
        let text = canvas.text
        #expect(!text.contains("PWNED") && !text.contains("HIJACK"))
        #expect(text.contains(Self.inert), "the resource name, inert:\n\(text)")
        #expect(text.contains("cpu" + Self.inert), "the metric name, inert:\n\(text)")
        #expect(text.contains("Azure said: " + Self.inert), "the failure, inert:\n\(text)")
        #expect(text.contains("qlp-sql (" + Self.inert + ")"), "the failed resource's reason, inert:\n\(text)")
    }
}
