import Foundation
import QLPDashboard
import QLPStore
import Testing

@testable import qlp

/// The embedded gateway's audit log reaches the Audit view as typed values:
/// an automatic entry (a budget rule fired) was mapped to words and back and
/// came out as "rejected: refused".
@Suite struct AuditOutcomeMappingTests {
    static func entry(_ outcome: RouteAuditEntry.Outcome, _ action: RouteAuditEntry.Action, rejection: String? = nil) -> RouteAuditEntry {
        RouteAuditEntry(
            id: 1, at: Date(), actor: "budget-rule", action: action, summary: "s", fromVersion: 3,
            toVersion: outcome == .applied ? 4 : nil, outcome: outcome, reason: nil, rejection: rejection)
    }

    @Test func eachOutcomeKeepsItsKind() {
        #expect(GatewayRouteControl.outcome(of: Self.entry(.automatic, .budgetRuleFired)) == .automatic)
        #expect(GatewayRouteControl.outcome(of: Self.entry(.automatic, .budgetRuleCleared)) == .automatic)
        #expect(GatewayRouteControl.outcome(of: Self.entry(.applied, .setWeights)) == .applied)
        #expect(GatewayRouteControl.outcome(of: Self.entry(.applied, .undo)) == .undo)
        #expect(
            GatewayRouteControl.outcome(of: Self.entry(.rejected, .drain, rejection: "stale version")) == .rejected(reason: "stale version")
        )
    }
}
