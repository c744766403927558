import Foundation
import QLPAzure
import QLPCanvas
import QLPCore
import QLPDashboard
import Testing

/// Issue 14, finding 3: the cost panel says who is making qlp wait — Cost
/// Management's Retry-After or qlp's own per-minute budget — never the one for the other.
@Suite struct CostThrottleWordingTests {
    typealias F = DashboardFixtures

    func screen(_ reason: HoldReason?, fetched: Bool) -> String {
        var state = F.state()
        if !fetched { state.cost.value = nil }
        state.cost.fail(
            .init(
                summary: "throttled", detail: "", at: F.now, nextAttempt: F.now.addingTimeInterval(60),
                throttledUntil: F.now.addingTimeInterval(60), throttleReason: reason))
        return DashboardScreen(state: state).render(size: Size(width: 160, height: 40), context: F.context()).text
    }

    @Test(arguments: [true, false])
    func qlpsOwnBudgetIsNotCalledCostManagementsAnswer(fetched: Bool) {
        let own = screen(.ownBudget(requestsPerMinute: 30), fetched: fetched)
        #expect(own.contains("qlp's own budget of 30 Cost Management requests a minute is spent"), "\(own)")
        #expect(!own.contains("Cost Management asked qlp to wait"))

        let asked = screen(.serviceAsked(header: "Retry-After"), fetched: fetched)
        #expect(asked.contains("Cost Management asked qlp to wait (Retry-After)"), "\(asked)")
        #expect(!asked.contains("own budget"))
    }
}
