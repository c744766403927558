import Foundation
import QLPCanvas
import QLPCore
import QLPDashboard
import Testing

@testable import QLPFeed

/// Issue 12, acceptance 1: with `budget.monthly.alerts: [50, 75]` the gauge's
/// marks, the figures' colours, the alerts (and so the Alerts view and the
/// bell) agree at 50 and 75 and nowhere else. The alert rules had 80 and 95
/// of their own, and the views coloured at 0.8 and 95: configure [50, 75] and
/// the gauge said "75% alert" while the Alerts view stayed silent.
@Suite struct ConfiguredThresholdTests {
    typealias F = DashboardFixtures

    /// The fixture's November at `daily` a day, against a £1,000 month alerting at 50% and 75%.
    static func state(daily: String) -> DashboardState {
        var plan = F.plan
        plan.monthly = MonthlyBudget(amount: F.d("1000"), alertThresholds: [50, 75])
        var state = DashboardState(identity: F.identity, plan: plan, costRefresh: .seconds(60))
        let rows = DayRange(CivilDate(year: 2026, month: 11, day: 1)!, F.today)!.map {
            DailyCost(day: $0, service: "Bandwidth", amount: F.d(daily), currency: .gbp)
        }
        state.cost.succeed(
            CostPanel(overview: BudgetOverview(plan: plan, costs: rows, today: F.today), costs: rows, pages: 1),
            at: F.now.addingTimeInterval(-10))
        return state
    }

    static func monthlyAlerts(_ state: DashboardState) -> [Alert] {
        AlertRules.evaluate(state, now: F.now).filter { $0.key.hasPrefix("budget.monthly") }
    }

    static func overview(_ state: DashboardState) -> Canvas {
        DashboardScreen(state: state, interaction: DashboardInteraction()).render(size: Size(width: 100, height: 30), context: F.context())
    }

    /// The role of the first cell of `needle` on the screen.
    static func role(of needle: String, in canvas: Canvas) -> StyleRole? {
        for (y, line) in canvas.lines.enumerated() {
            if let range = line.range(of: needle) {
                return canvas.role(x: line.distance(from: line.startIndex, to: range.lowerBound), y: y)
            }
        }
        return nil
    }

    @Test func belowFiftyNothingAndTheMarksAreTheConfiguredOnes() {
        // 26 × £15 = £390: 39%.
        let state = Self.state(daily: "15")
        #expect(Self.monthlyAlerts(state).isEmpty)
        let text = Self.overview(state).text
        #expect(text.contains("▲50%") && text.contains("▲75%"), "\(text)")
        #expect(!text.contains("▲80%") && !text.contains("▲95%"))
        #expect(text.contains("below alerts"))
    }

    @Test func pastFiftyWarnsEverywhere() {
        // 26 × £22 = £572: 57%.
        let state = Self.state(daily: "22")
        let alerts = Self.monthlyAlerts(state)
        #expect(alerts.map(\.key) == ["budget.monthly.50"])
        #expect(alerts.first?.severity == .warning)
        #expect(alerts.first?.text == "monthly budget past 50%: 57% used")
        let screen = Self.overview(state)
        #expect(Self.role(of: "50% alert", in: screen) == .warning, "\(screen.text)")
    }

    @Test func pastSeventyFiveIsCriticalEverywhereAndEightyIsNothing() {
        // 26 × £32 = £832: 83% (the old rules' 80% warning; here past the top threshold, 75).
        let state = Self.state(daily: "32")
        let alerts = Self.monthlyAlerts(state)
        #expect(alerts.map(\.key) == ["budget.monthly.75"])
        #expect(alerts.first?.severity == .critical)
        let screen = Self.overview(state)
        #expect(Self.role(of: "75% alert", in: screen) == .critical, "\(screen.text)")
        #expect(!AlertRules.evaluate(state, now: F.now).contains { $0.key.hasSuffix(".80") || $0.key.hasSuffix(".95") })
    }

    @Test func oneThresholdOnlyWarnsAndOverBudgetIsCritical() {
        #expect(ThresholdState.crossed(threshold: 90).urgency(thresholds: [90]) == .warning)
        #expect(ThresholdState.crossed(threshold: 80).urgency(thresholds: [80, 95]) == .warning)
        #expect(ThresholdState.crossed(threshold: 95).urgency(thresholds: [80, 95]) == .critical)
        #expect(ThresholdState.exceeded.urgency(thresholds: []) == .critical)
        #expect(ThresholdState.clear.urgency(thresholds: [50, 75]) == .quiet)
        #expect(ThresholdState.evaluate(fraction: F.d("0.5"), thresholds: [50, 75]) == .crossed(threshold: 50))
    }
}
