import Foundation
import QLPCanvas
import QLPCore
import QLPStore
import Testing

@testable import QLPDashboard
@testable import QLPFeed

@Suite struct AlertRulesTests {
    typealias F = DashboardFixtures

    /// The fixture's November at a given daily spend (the plan's month is £1,000).
    static func state(daily: String, categories: Bool = true, costRefresh: Duration = .seconds(60)) -> DashboardState {
        var state = DashboardState(identity: F.identity, plan: F.plan, costRefresh: costRefresh)
        var rows: [DailyCost] = []
        for day in DayRange(CivilDate(year: 2026, month: 11, day: 1)!, F.today)! {
            rows.append(DailyCost(day: day, service: "Bandwidth", amount: F.d(daily), currency: .gbp))
        }
        state.cost.succeed(
            CostPanel(overview: BudgetOverview(plan: F.plan, costs: rows, today: F.today), costs: rows, pages: 1),
            at: F.now.addingTimeInterval(-10))
        return state
    }

    @Test func belowEightyPercentNothingFires() {
        // 26 × £10 = £260 of £1,000; Bandwidth £260 of £400 = 65%.
        #expect(AlertRules.evaluate(Self.state(daily: "10"), now: F.now).isEmpty)
    }

    @Test func monthlyThresholdsWarnAtEightyAndAreCriticalAtNinetyFive() {
        // 26 × £32 = £832: 83%; the projection (30 × £32 = £960) stays under 100%.
        let eighty = AlertRules.evaluate(Self.state(daily: "32"), now: F.now)
        let monthly = eighty.first { $0.key.hasPrefix("budget.monthly") }
        #expect(monthly?.key == "budget.monthly.80")
        #expect(monthly?.severity == .warning)
        #expect(monthly?.text == "monthly budget past 80%: 83% used")
        #expect(!eighty.contains { $0.key == "budget.linear-projection" })
        // 26 × £37 = £962: 96%, and the month is forecast past 100%.
        let ninetyFive = AlertRules.evaluate(Self.state(daily: "37"), now: F.now)
        #expect(ninetyFive.contains { $0.key == "budget.monthly.95" && $0.severity == .critical })
        #expect(ninetyFive.contains { $0.key == "budget.linear-projection" && $0.text.contains("% of the £1,000.00 monthly budget") })
    }

    @Test func categoryAllocationsHaveTheirOwnThresholds() {
        // Bandwidth: 26 × £16 = £416 of its £400 allocation.
        let alerts = AlertRules.evaluate(Self.state(daily: "16"), now: F.now)
        let category = alerts.first { $0.key.hasPrefix("budget.category.networking_security") }
        #expect(category?.severity == .critical)
        #expect(category?.text == "Networking & Security allocation exceeded: 104% used")
    }

    @Test func costDataOlderThanTwoRefreshesIsStale() {
        let state = Self.state(daily: "10")
        #expect(!AlertRules.evaluate(state, now: F.now.addingTimeInterval(100)).contains { $0.key == "cost.stale" })
        let stale = AlertRules.evaluate(state, now: F.now.addingTimeInterval(200)).first { $0.key == "cost.stale" }
        #expect(stale?.severity == .warning)
        #expect(stale?.source == .costData)
    }

    /// The demo refreshes every 15 s: whole minutes called that "refresh every 0m".
    @Test func theStaleAlertNamesTheRefreshIntervalAsConfigured() {
        let demo = Self.state(daily: "10", costRefresh: .seconds(15))
        let stale = AlertRules.evaluate(demo, now: F.now.addingTimeInterval(100)).first { $0.key == "cost.stale" }
        #expect(stale?.text == "cost data 1m old (refresh every 15s)")
        let hourly = Self.state(daily: "10", costRefresh: .seconds(3600))
        let late = AlertRules.evaluate(hourly, now: F.now.addingTimeInterval(3 * 3600)).first { $0.key == "cost.stale" }
        #expect(late?.text == "cost data 180m old (refresh every 1h)")
    }

    @Test func externalAlertsPassThroughWithTheirSeverity() {
        var state = Self.state(daily: "10")
        state.externalAlerts = [
            Alert(key: "gateway.target down.gpt4.2", severity: .critical, source: .gateway, text: "gpt4 breaker open", at: F.now),
            Alert(
                key: "gateway.latency SLO.chat.1", severity: .warning, source: .gateway, text: "chat p95 2,400 ms > SLO 2,000 ms",
                at: F.now),
            Alert(key: "routing.budget-rule.openai_over_95", severity: .warning, source: .routing, text: "chat sent to llama3", at: F.now),
        ]
        let alerts = AlertRules.evaluate(state, now: F.now)
        #expect(alerts.map(\.source) == [.gateway, .gateway, .routing])
        #expect(alerts.first?.severity == .critical)
        #expect(Set(alerts.map(\.key)).count == 3)
    }
}

@Suite struct AlertBookTests {
    typealias F = DashboardFixtures
    static let critical = Alert(key: "budget.monthly.95", severity: .critical, source: .budget, text: "monthly budget past 95%")
    static let warning = Alert(key: "cost.stale", severity: .warning, source: .costData, text: "cost data 5m old")

    @Test func theBellRingsOncePerNewCriticalAlert() {
        var i = DashboardInteraction()
        var state = AlertRulesTests.state(daily: "37")
        var rang = i.observe(state, now: F.now)
        #expect(rang)
        rang = i.observe(state, now: F.now.addingTimeInterval(1))
        #expect(!rang)
        // A new critical alert rings again; a warning does not.
        state.externalAlerts = [Alert(key: "gateway.throttling.gpt4.1", severity: .warning, source: .gateway, text: "429s", at: F.now)]
        rang = i.observe(state, now: F.now.addingTimeInterval(2))
        #expect(!rang)
        state.externalAlerts = [Alert(key: "gateway.target down.gpt4.2", severity: .critical, source: .gateway, text: "open", at: F.now)]
        rang = i.observe(state, now: F.now.addingTimeInterval(3))
        #expect(rang)
        var quiet = DashboardInteraction(bellEnabled: false)
        rang = quiet.observe(AlertRulesTests.state(daily: "37"), now: F.now)
        #expect(!rang)
    }

    @Test func acknowledgedAlertsLeaveTheStripAndClearedOnesComeBackAsNew() {
        var book = AlertBook()
        #expect(book.update(with: [Self.critical, Self.warning], now: F.now).count == 2)
        #expect(book.unacknowledged.first == Self.critical)
        book.acknowledge(at: book.entries.firstIndex { $0.alert.key == Self.critical.key }!)
        #expect(book.unacknowledged == [Self.warning])
        #expect(book.update(with: [Self.critical, Self.warning], now: F.now).isEmpty)
        #expect(book.update(with: [Self.warning], now: F.now).isEmpty)
        #expect(book.entries.first { $0.alert.key == Self.critical.key }?.active == false)
        #expect(book.update(with: [Self.critical, Self.warning], now: F.now.addingTimeInterval(60)) == [Self.critical])
        #expect(book.unacknowledged.first == Self.critical)
        book.acknowledgeAll()
        #expect(book.unacknowledged.isEmpty)
    }

    @Test func clearedAlertsAreForgottenBeyondCapacity() {
        var book = AlertBook(capacity: 3)
        for n in 0..<10 {
            book.update(
                with: [Alert(key: "k\(n)", severity: .info, source: .gateway, text: "\(n)")], now: F.now.addingTimeInterval(Double(n)))
        }
        #expect(book.entries.count == 3)
        #expect(book.entries.first?.alert.key == "k9")
    }

    @Test func theStripShowsOnEveryViewAndTheAlertsViewListsThem() {
        var i = DashboardInteraction()
        let state = AlertRulesTests.state(daily: "37")
        _ = i.observe(state, now: F.now)
        for view in DashboardView.allCases {
            i.view = view
            let canvas = DashboardScreen(state: state, interaction: i).render(size: Size(width: 80, height: 24), context: F.context())
            #expect(canvas.lines[2].contains("CRITICAL: "), "\(view): \(canvas.lines[2])")
            #expect(canvas.lines[2].contains("more, 6 to see"))
        }
        i.view = .alerts
        let text = DashboardScreen(state: state, interaction: i).render(size: Size(width: 120, height: 40), context: F.context()).text
        #expect(text.contains("SEVERITY"))
        #expect(text.contains("monthly budget past 95%: 96% used"))
        #expect(text.contains("OPEN"))
        _ = i.handle(.character("A"), state: state)
        let acked = DashboardScreen(state: state, interaction: i).render(size: Size(width: 120, height: 40), context: F.context())
        #expect(acked.text.contains("acked"))
        #expect(!acked.lines[2].contains("CRITICAL"))
    }

    @Test func aLongAlertCutInTheTableIsShownWholeUnderIt() {
        let long = Alert(
            key: "gateway.latency SLO.chat.2", severity: .critical, source: .gateway,
            text: "chat: p95 2,340 ms over its 2,000 ms SLO in the last 4 s, 38 requests, gpt4 slowest")
        var book = AlertBook()
        book.update(with: [long, Self.warning], now: F.now)
        let narrow = AlertsView(book: book, selected: 0)
        var canvas = Canvas(size: Size(width: 80, height: 20))
        narrow.render(into: &canvas, area: Rect(x: 0, y: 0, width: 80, height: 20), context: F.context())
        let lines = canvas.lines
        #expect(lines.contains { $0.contains("…") }, "the table cuts the text")
        let bottom = lines.suffix(3).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(bottom.contains("chat: p95 2,340 ms over its 2,000 ms SLO"))
        #expect(bottom.contains("gpt4 slowest"))
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 })

        // Wide enough for the whole text: no detail lines.
        var wide = Canvas(size: Size(width: 200, height: 20))
        narrow.render(into: &wide, area: Rect(x: 0, y: 0, width: 200, height: 20), context: F.context())
        #expect(wide.lines.filter { $0.contains("gpt4 slowest") }.count == 1)
    }
}

@Suite struct AlertAcknowledgementTests {
    typealias F = DashboardFixtures

    @Test func acknowledgingIsAnEffectNamingTheAlertOnce() {
        var i = DashboardInteraction()
        _ = i.observe(AlertRulesTests.state(daily: "37"), now: F.now)
        let key = i.alerts.entries.first?.alert.key
        #expect(i.perform(.acknowledge, state: AlertRulesTests.state(daily: "37")) == [.acknowledgeAlerts([key ?? ""])])
        // Already acknowledged: nothing more to keep.
        #expect(i.perform(.acknowledge, state: AlertRulesTests.state(daily: "37")).isEmpty)
        // All: the others, once.
        let others = i.alerts.entries.map(\.alert.key).filter { $0 != key }
        #expect(!others.isEmpty)
        #expect(i.perform(.acknowledgeAll, state: AlertRulesTests.state(daily: "37")) == [.acknowledgeAlerts(others)])
        #expect(i.perform(.acknowledgeAll, state: AlertRulesTests.state(daily: "37")).isEmpty)
    }

    @Test func aBookResumedFromTheHistoryKeepsAcknowledgementsAndDoesNotRingAgain() {
        let alert = Alert(key: "budget.monthly.95", severity: .critical, source: .budget, text: "monthly budget past 95%")
        let old = Alert(key: "cost.stale", severity: .warning, source: .costData, text: "cost data 30m old")
        var book = AlertBook(resuming: [
            AlertOccurrence(alert: alert, raisedAt: F.now, acknowledgedBy: "maria", acknowledgedAt: F.now, lastNotice: F.now),
            AlertOccurrence(
                alert: old, raisedAt: F.now.addingTimeInterval(-3600), clearedAt: F.now.addingTimeInterval(-600),
                lastNotice: F.now.addingTimeInterval(-3600)),
        ])
        #expect(book.update(with: [alert], now: F.now.addingTimeInterval(5)).isEmpty)
        #expect(book.entries.first { $0.alert.key == alert.key }?.acknowledged == true)
        #expect(book.entries.first { $0.alert.key == old.key }?.active == false)
        #expect(book.unacknowledged.isEmpty)
    }
}
