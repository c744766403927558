import Foundation
import QLPCanvas
import QLPCore
import Testing

@testable import QLPDashboard
@testable import QLPFeed

/// The one-line alert strip under every view's header: the whole alert where
/// it fits, its headline where it does not, so at 80 columns the figure that
/// matters is never the part cut off.
@Suite struct AlertStripTests {
    typealias F = DashboardFixtures

    static let projection = Alert(
        key: "budget.linear-projection", severity: .warning, source: .budget,
        text: "linear projection: month-end £1,041.49, 104% of the £1,000.00 monthly budget (from 4 complete days)",
        headline: "linear projection puts month-end at 104% of budget")

    func strip(_ alerts: [Alert], width: Int) -> String {
        var canvas = Canvas(width: width, height: 1)
        AlertStrip(alerts: alerts).render(into: &canvas, row: 0, context: F.context())
        return canvas.lines[0]
    }

    @Test func at80ColumnsALongAlertShowsItsHeadlineUncut() {
        let line = strip([Self.projection], width: 80)
        #expect(line == " warning: linear projection puts month-end at 104% of budget  6 to see")
        #expect(!line.contains("…"))
    }

    @Test func whereTheWholeTextFitsItIsShown() {
        let line = strip([Self.projection], width: 200)
        #expect(line.contains("month-end £1,041.49, 104% of the £1,000.00 monthly budget (from 4 complete days)  6 to see"))
    }

    @Test func anAlertWithoutAHeadlineIsCutWithAnEllipsis() {
        var plain = Self.projection
        plain.headline = nil
        let line = strip([plain, plain], width: 80)
        #expect(line.contains("…  +1 more, 6 to see"))
    }

    @Test func bothMonthEndAlertsCarryAHeadlineNamingTheirEstimate() {
        #expect(
            AlertRules.pastBudgetHeadline(.linearProjection, 1041.49, monthly: 1000) == "linear projection puts month-end at 104% of budget"
        )
        #expect(AlertRules.pastBudgetHeadline(.azureForecast, 1050, monthly: 1000) == "Azure forecast puts month-end at 105% of budget")
    }
}
