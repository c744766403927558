import Foundation
import QLPCore
import QLPRouting
import Testing

@testable import QLPDashboard

/// The highlight stays on the thing the operator chose while the list moves
/// under it: a new alert on top must not turn `a` into acknowledging it, and a
/// route another operator adds above must not turn `-` into an edit of its target.
@Suite struct SelectionFollowsTheRowTests {
    typealias F = DashboardFixtures

    static func alert(_ key: String, at seconds: TimeInterval) -> Alert {
        Alert(key: key, severity: .critical, source: .gateway, text: key, at: F.now.addingTimeInterval(seconds))
    }

    @Test func aNewAlertOnTopLeavesTheHighlightOnTheChosenOne() {
        var state = F.state()
        var i = DashboardInteraction()
        i.view = .alerts
        state.externalAlerts = [Self.alert("first", at: 0), Self.alert("second", at: 1)]
        _ = i.observe(state, now: F.now.addingTimeInterval(1))
        #expect(i.alerts.entries.map(\.alert.key) == ["second", "first"])
        _ = i.handle(.character("j"), state: state)
        #expect(i.selected(in: .alerts, state: state) == 1)

        // A newer alert arrives before the operator presses a.
        state.externalAlerts.append(Self.alert("third", at: 2))
        _ = i.observe(state, now: F.now.addingTimeInterval(2))
        #expect(i.alerts.entries.first?.alert.key == "third")
        #expect(i.selected(in: .alerts, state: state) == 2)
        #expect(i.handle(.character("a"), state: state) == [.acknowledgeAlerts(["first"])])
    }

    @Test func theHighlightThatWasNeverMovedStaysOnTheAlertItWasOn() {
        var state = F.state()
        var i = DashboardInteraction()
        i.view = .alerts
        state.externalAlerts = [Self.alert("first", at: 0)]
        _ = i.observe(state, now: F.now)
        state.externalAlerts.append(Self.alert("second", at: 1))
        _ = i.observe(state, now: F.now.addingTimeInterval(1))
        #expect(i.handle(.character("a"), state: state) == [.acknowledgeAlerts(["first"])])
        // Moving still goes by place: up from "first" is "second".
        _ = i.handle(.character("k"), state: state)
        #expect(i.handle(.character("a"), state: state) == [.acknowledgeAlerts(["second"])])
    }

    @Test func aRouteAddedAboveLeavesTheHighlightOnTheChosenTarget() throws {
        var i = DashboardInteraction()
        i.view = .routing
        var state = RoutingViewTests.state()
        _ = i.observe(state, now: F.now)
        // chat: gpt4, gpt35, llama3; embeddings: embed. Choose chat's gpt35.
        _ = i.handle(.character("j"), state: state)
        #expect(i.selected(in: .routing, state: state) == 1)

        // Another operator's change puts a route with one target first.
        var moved = RoutingFixtures.table
        moved.version = 4
        moved.routes.insert(Route(name: "aaa", policy: .priority, shares: [.init(target: "embed", weight: 100)], fallback: []), at: 0)
        state = RoutingViewTests.state(moved)
        _ = i.observe(state, now: F.now.addingTimeInterval(1))
        #expect(i.selected(in: .routing, state: state) == 2)
        _ = i.handle(.character("-"), state: state)
        let draft = try #require(i.draft)
        let gpt35 = draft.table.route(named: "chat")?.shares.first { $0.target == "gpt35" }
        #expect(gpt35?.weight == 35, "the edit went to another target: \(draft.table.routes)")
    }
}
