import Foundation
import QLPCanvas
import QLPCore
import QLPDashboard
import Testing

@testable import QLPFeed

@Suite struct OverviewViewTests {
    typealias F = DashboardFixtures

    static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40)]

    @Test(arguments: sizes)
    func showsEveryFigureWholeAtEachSize(_ size: Size) {
        let canvas = DashboardScreen(state: F.state()).render(size: size, context: F.context())
        let text = canvas.text
        // 57 days × £29.63 = £1,688.91 of credits.
        #expect(text.contains("£1,688.91 of £5,000.00"))
        #expect(text.contains("33.8%"))
        for (label, allocation) in [
            ("Compute (AKS)", "£2,000.00"), ("Azure OpenAI", "£1,500.00"), ("Databases & Storage", "£800.00"),
            ("Networking & Security", "£400.00"), ("Monitoring & DevOps", "£300.00"),
        ] {
            let line = canvas.lines.first { $0.contains(label) }
            #expect(line?.contains(allocation) == true, "\(label) with \(allocation) at \(size)")
        }
        #expect(text.contains("Unmapped"))
        #expect(text.contains("Event Grid"))
        // Monthly gauge with both marks, burn rate, projection, exhaustion and data age.
        #expect(text.contains("▲80%"))
        #expect(text.contains("▲95%"))
        #expect(text.contains("£29.63/day (7-day avg)"))
        #expect(text.contains("Month-end £888.90 linear projection (88.9%)"))
        #expect(text.contains("runs out"))
        #expect(text.contains("cost data 12s old"))
        #expect(text.contains("DEMO"))
        #expect(text.contains("17:42:05 UTC"))
        #expect(canvas.lines.last?.contains("q quit") == true)
        // Nothing cut: no ellipsis anywhere, no line running into the edge.
        #expect(!text.contains("…"), "a label was cut at \(size):\n\(text)")
    }

    @Test func monthlyFiguresAreTheCoresFigures() {
        let text = DashboardScreen(state: F.state()).render(size: Size(width: 100, height: 30), context: F.context()).text
        // November to the 26th: 26 × £29.63 = £770.38, 77.0% of £1,000.
        #expect(text.contains("£770.38 of £1,000.00"))
        #expect(text.contains("77.0%"))
        #expect(text.contains("below alerts"))
    }

    @Test func markersSitAtEightyAndNinetyFivePercentOfTheGauge() throws {
        let canvas = DashboardScreen(state: F.state()).render(size: Size(width: 80, height: 24), context: F.context())
        let gaugeRow = try #require(canvas.lines.firstIndex { $0.contains("of £1,000.00") })
        let labels = canvas.lines[gaugeRow + 1]
        let markerColumns = (0..<80).filter { canvas[$0, gaugeRow].grapheme == "┃" }
        #expect(markerColumns.count == 2)
        // Labels start right under their marks.
        for column in markerColumns {
            #expect(Array(labels)[column] == "▲")
        }
    }

    @Test func staleDataSaysSoAndWhy() {
        var state = F.state(fetchedAt: F.now.addingTimeInterval(-300))
        state.cost.fail(
            .init(
                summary: "HTTP 500 InternalServerError", detail: "Cost Management answered HTTP 500",
                at: F.now.addingTimeInterval(-10), nextAttempt: F.now.addingTimeInterval(20)))
        let canvas = DashboardScreen(state: state).render(size: Size(width: 80, height: 24), context: F.context())
        let text = canvas.text
        #expect(text.contains("STALE"))
        #expect(text.contains("HTTP 500"))
        #expect(text.contains("retry at 17:42:25"))
        #expect(text.contains("5m old"))
        // The last good numbers stay on screen.
        #expect(text.contains("£1,688.91 of £5,000.00"))
        let staleRow = canvas.lines.firstIndex { $0.contains("STALE") }!
        let column = canvas.lines[staleRow].distance(
            from: canvas.lines[staleRow].startIndex,
            to: canvas.lines[staleRow].range(of: "STALE")!.lowerBound)
        #expect(canvas.role(x: column, y: staleRow) == .stale)
    }

    @Test func oldDataIsStaleEvenWithoutAnError() {
        let state = F.state(fetchedAt: F.now.addingTimeInterval(-3600))
        let text = DashboardScreen(state: state).render(size: Size(width: 80, height: 24), context: F.context()).text
        #expect(text.contains("STALE"))
        #expect(text.contains("not refreshed"))
    }

    func canvas(_ state: DashboardState) -> Canvas {
        DashboardScreen(state: state).render(size: Size(width: 80, height: 24), context: F.context())
    }

    @Test func cachedDataIsMarked() {
        var state = F.state()
        state.cost.source = .cache
        let line = canvas(state).lines.first { $0.contains("STALE") }
        #expect(line?.contains("from cache") == true)
    }

    @Test func beforeTheFirstAnswerItSaysWhatItIsWaitingFor() {
        var state = DashboardState(identity: F.identity, plan: F.plan, costRefresh: .seconds(60))
        var text = DashboardScreen(state: state).render(size: Size(width: 80, height: 24), context: F.context()).text
        #expect(text.contains("Fetching cost data from Cost Management"))
        state.cost.fail(
            .init(
                summary: "timed out after 5 s", detail: "Cost Management: request timed out", at: F.now,
                nextAttempt: F.now.addingTimeInterval(15)))
        text = DashboardScreen(state: state).render(size: Size(width: 80, height: 24), context: F.context()).text
        #expect(text.contains("Cost data unavailable: timed out after 5 s"))
        #expect(text.contains("Retrying at 17:42:20"))
    }

    @Test func tooSmallTerminalsGetAMessage() {
        let text = DashboardScreen(state: F.state()).render(size: Size(width: 79, height: 24), context: F.context()).text
        #expect(text.contains("Terminal too small: 79x24"))
        #expect(text.contains("at least 80x24"))
        #expect(!text.contains("AZURE CREDITS"))
    }

    @Test func asciiTerminalsGetNoUnicode() {
        let text = DashboardScreen(state: F.state()).render(size: Size(width: 80, height: 24), context: F.context(.ascii)).text
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII in:\n\(text)")
        #expect(text.contains("GBP 1,688.91 of GBP 5,000.00"))
        #expect(text.contains("^80%"))
    }

    @Test func helpListsEveryKeyAndTheLogFile() {
        let text = DashboardScreen(state: F.state(), showHelp: true).render(size: Size(width: 80, height: 24), context: F.context()).text
        #expect(text.contains("1-8"))  // the eight view keys, one line
        for binding in KeyBindings.bindings(for: .overview) {
            if case .show = binding.action { continue }
            #expect(text.contains(binding.label) && text.contains(binding.summary))
        }
        #expect(text.contains("/tmp/qlp.log"))
    }

    @Test func overspendShowsOverBudgetAndExhaustion() {
        var costs = F.costs
        costs.append(DailyCost(day: F.today.adding(days: -2), service: "Azure AI Services", amount: F.d("1400"), currency: .gbp))
        var state = DashboardState(identity: F.identity, plan: F.plan, costRefresh: .seconds(60))
        state.cost.succeed(
            CostPanel(overview: BudgetOverview(plan: F.plan, costs: costs, today: F.today), costs: costs, pages: 1), at: F.now)
        let text = DashboardScreen(state: state).render(size: Size(width: 120, height: 40), context: F.context()).text
        #expect(text.contains("OVER BUDGET"))
        #expect(text.contains("used 24 Nov"))
    }

    @Test func tallTerminalsGetTheDailySpendChart() throws {
        let tall = DashboardScreen(state: F.state()).render(size: Size(width: 100, height: 34), context: F.context())
        let title = try #require(tall.lines.firstIndex { $0.contains("DAILY SPEND") })
        #expect(tall.lines[title].contains("last 57 days"))
        #expect(tall.lines[title].contains("budget pace £33.33/day"))
        #expect(tall.text.contains("1 Oct"))
        #expect(tall.text.contains("today (partial)"))
        // Every complete day spent the same here, so every complete day's bar is full height.
        let barRows = (title + 1)..<(tall.lines.firstIndex { $0.contains("today (partial)") }!)
        #expect(barRows.count >= 3)
        let bottom = tall.lines[barRows.upperBound - 1]
        #expect(bottom.filter { $0 == "█" }.count >= 56)
        let short = DashboardScreen(state: F.state()).render(size: Size(width: 80, height: 24), context: F.context())
        #expect(!short.text.contains("DAILY SPEND"))
    }

    @Test func aNoticeShowsOnTheStatusLineForAWhile() {
        var state = F.state()
        state.notice = Notice(text: "report: /tmp/r/qlp-report-2026-W48.md", at: F.now.addingTimeInterval(-2))
        let shown = DashboardScreen(state: state).render(size: Size(width: 80, height: 24), context: F.context())
        #expect(shown.text.contains("report: /tmp/r/qlp-report-2026-W48.md"))
        state.notice?.at = F.now.addingTimeInterval(-Notice.lifetime - 1)
        let gone = DashboardScreen(state: state).render(size: Size(width: 80, height: 24), context: F.context())
        #expect(!gone.text.contains("qlp-report"))
    }

    @Test func throttlingReadsAsAWaitNotAnError() {
        var state = F.state()
        state.cost.fail(
            .init(
                summary: "throttled for 60 s", detail: "Cost Management is throttling requests", at: F.now,
                nextAttempt: F.now.addingTimeInterval(60), throttledUntil: F.now.addingTimeInterval(60)))
        let text = DashboardScreen(state: state).render(size: Size(width: 80, height: 24), context: F.context()).text
        #expect(text.contains("throttled until 17:43:05 UTC"))
        #expect(!text.contains("STALE"))
    }
}

@Suite struct MetricUnitFormatTests {
    @Test func unitsReadAsPeopleWriteThem() {
        #expect(MetricUnitFormat.string(38.24, unit: "Percent") == "38.2%")
        #expect(MetricUnitFormat.string(9_600_000_000, unit: "Bytes") == "9.6 GB")
        #expect(MetricUnitFormat.string(312.4, unit: "MilliSeconds") == "312 ms")
        #expect(MetricUnitFormat.string(0.314, unit: "Seconds") == "0.31 s")
        #expect(MetricUnitFormat.string(2300, unit: "MilliCores") == "2,300 mc")
        #expect(MetricUnitFormat.string(52_000, unit: "BytesPerSecond") == "52.0 kB/s")
        #expect(MetricUnitFormat.string(1_234_567, unit: "Count") == "1,234,567")
        #expect(MetricUnitFormat.string(2.5, unit: "Count") == "2.5")
    }
}
