import Foundation
import QLPCanvas
import QLPCore
import QLPDashboard
import Testing

@testable import QLPAzure
@testable import QLPFeed

/// Issue 17: two month-end estimates, two names, used everywhere: qlp's
/// "linear projection" and Cost Management's "Azure forecast". An alert says
/// which one crossed the budget; no screen calls either plain "forecast".
@Suite struct ForecastVocabularyTests {
    typealias F = DashboardFixtures

    /// The fixture's November at £`daily` a day, with Azure's forecast for the month at `azure`.
    static func state(daily: String, azure: String) -> DashboardState {
        var state = AlertRulesTests.state(daily: daily)
        let month = DayRange(CivilDate(year: 2026, month: 11, day: 1)!, CivilDate(year: 2026, month: 11, day: 30)!)!
        state.azureBudgets.succeed(
            AzureBudgetPanel(
                budgets: [],
                forecast: CostForecast(
                    days: month, actual: F.d("700"),
                    forecast: F.d(azure) - F.d("700"), currency: .gbp),
                forecastNote: nil), at: F.now.addingTimeInterval(-10))
        return state
    }

    @Test func theLinearProjectionAlertSaysItIsTheLinearProjection() {
        // 26 × £36 = £936 so far; 30 × £36 = £1,080 at month end; Azure's forecast £946 stays under.
        let alerts = AlertRules.evaluate(Self.state(daily: "36", azure: "946"), now: F.now)
        let projection = alerts.filter { $0.text.contains("month-end") }
        #expect(projection.count == 1, "\(alerts.map(\.text))")
        #expect(
            projection.first?.text == "linear projection: month-end £1,080.00, 108% of the £1,000.00 monthly budget (from 25 complete days)"
        )
    }

    @Test func azuresForecastPastTheBudgetIsItsOwnAlertNamedAsAzures() {
        // 26 × £30 = £780; the linear projection £900 is under, Azure's forecast £1,050 is over.
        let alerts = AlertRules.evaluate(Self.state(daily: "30", azure: "1050"), now: F.now)
        let azure = alerts.filter { $0.text.contains("month-end") }
        #expect(azure.map(\.text) == ["Azure forecast: month-end £1,050.00, 105% of the £1,000.00 monthly budget"])
        #expect(azure.first?.severity == .warning)
    }

    /// Every "forecast" on the money views is Azure's, every "projection" the linear one.
    @Test(arguments: [DashboardView.overview, .budget, .alerts])
    func noScreenSaysForecastOrProjectionWithoutWhose(_ view: DashboardView) {
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            var interaction = DashboardInteraction()
            interaction.view = view
            let state = Self.state(daily: "36", azure: "1050")
            _ = interaction.observe(state, now: F.now)
            let text = DashboardScreen(state: state, interaction: interaction).render(size: size, context: F.context()).text
            #expect(Self.unnamed("forecast", in: text, must: "azure ").isEmpty, "\(view) at \(size):\n\(text)")
            #expect(Self.unnamed("projection", in: text, must: "linear ").isEmpty, "\(view) at \(size):\n\(text)")
        }
    }

    /// Occurrences of `word` not directly after `prefix` (both without case).
    static func unnamed(_ word: String, in text: String, must prefix: String) -> [String] {
        let lower = text.lowercased()
        var found: [String] = []
        var from = lower.startIndex
        while let r = lower.range(of: word, range: from..<lower.endIndex) {
            let before = lower[lower.startIndex..<r.lowerBound].suffix(prefix.count)
            if before != prefix {
                found.append(
                    String(
                        lower[
                            lower.index(
                                r.lowerBound, offsetBy: -min(20, lower.distance(from: lower.startIndex, to: r.lowerBound)))..<r.upperBound])
                )
            }
            from = r.upperBound
        }
        return found
    }
}
