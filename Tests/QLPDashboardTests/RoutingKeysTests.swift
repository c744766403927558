import Foundation
import QLPCanvas
import QLPCore
import QLPDashboard
import QLPRouting
import Testing

/// Issue 17: keys say what they did, or where they work: `f` on a target
/// outside the fallback chain says it joins the chain, quitting with a staged
/// draft asks first, and a view's key pressed elsewhere names its view.
@Suite struct RoutingKeysTests {
    typealias F = DashboardFixtures

    static func routing() -> DashboardInteraction {
        var i = DashboardInteraction()
        i.view = .routing
        return i
    }

    @Test func fOnATargetOutsideTheChainSaysItJoinsTheChainAtItsEnd() throws {
        let state = RoutingViewTests.state()
        var i = Self.routing()
        // Row 0 is chat's gpt4, not in chat's fallback chain (gpt35 → llama3).
        _ = i.handle(.character("f"), state: state)
        let message = try #require(i.message, "f said nothing")
        #expect(message.text.contains("gpt4") && message.text.contains("not in chat's fallback chain"), "\(message.text)")
        #expect(message.text.contains("gpt35, llama3, gpt4"), "\(message.text)")
        #expect(i.draft?.table.route(named: "chat")?.fallback == ["gpt35", "llama3", "gpt4"])
        // The help's second page says what f does with such a target.
        var help = Self.routing()
        help.showHelp = true
        _ = help.handle(.character("?"), state: state)
        let text = DashboardScreen(state: state, interaction: help).render(size: Size(width: 80, height: 24), context: F.context()).text
        #expect(text.contains("adds it last"), "\(text)")
    }

    @Test(arguments: ["q", ":quit"])
    func quittingWithAStagedDraftAsksFirst(_ typed: String) {
        let state = RoutingViewTests.state()
        var i = Self.routing()
        _ = i.handle(.character("+"), state: state)
        #expect(i.draft != nil)
        func type(_ text: String) -> [DashboardEffect] {
            var effects: [DashboardEffect] = []
            for c in text { effects += i.handle(.character(c), state: state) }
            if text.hasPrefix(":") { effects += i.handle(.enter, state: state) }
            return effects
        }
        #expect(type(typed).isEmpty, "quit with a staged draft did not ask")
        let asking = DashboardScreen(state: state, interaction: i).render(size: Size(width: 80, height: 24), context: F.context()).text
        #expect(asking.contains("not applied"), "\(asking)")
        // n keeps the dashboard and the draft.
        #expect(i.handle(.character("n"), state: state).isEmpty)
        #expect(i.draft != nil)
        _ = type(typed)
        #expect(i.handle(.character("y"), state: state) == [.quit])
    }

    @Test func quittingWithoutADraftDoesNotAsk() {
        var i = Self.routing()
        #expect(i.handle(.character("q"), state: RoutingViewTests.state()) == [.quit])
    }

    @Test func aViewsKeyPressedElsewhereSaysWhereItWorks() throws {
        let state = RoutingViewTests.state()
        var i = DashboardInteraction()
        i.view = .overview
        #expect(i.handle(.character("+"), state: state).isEmpty)
        let plus = try #require(i.message, "+ on Overview said nothing")
        #expect(plus.text.contains("Routing") && plus.text.contains("4"), "\(plus.text)")
        _ = i.handle(.character("a"), state: state)
        #expect(i.message?.text.contains("Alerts") == true, "\(i.message?.text ?? "nothing")")
        // A key bound nowhere says so, and where the keys are listed.
        _ = i.handle(.character("x"), state: state)
        #expect(i.message?.text.contains("?") == true, "\(i.message?.text ?? "nothing")")
        #expect(i.draft == nil)
    }
}
