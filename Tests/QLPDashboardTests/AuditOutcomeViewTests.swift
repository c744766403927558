import Foundation
import QLPCanvas
import QLPDashboard
import Testing

/// Issue 12 (review finding): the gateway's own audit entries (a budget rule
/// fired or cleared) read "automatic" in the normal colour; only refusals are red.
@Suite struct AuditOutcomeViewTests {
    typealias F = DashboardFixtures

    @Test func automaticEntriesAreOrdinaryAndRefusalsStandOut() throws {
        let audit = [
            RouteAuditLine(
                at: F.now, actor: "budget-rule", summary: "openai_over_95 fired: chat → llama3", outcome: .automatic,
                fromVersion: 4, toVersion: 4),
            RouteAuditLine(
                at: F.now, actor: "alice", summary: "drain llama3", outcome: .rejected(reason: "stale version"),
                fromVersion: 4, toVersion: 4),
            RouteAuditLine(at: F.now, actor: "bob", summary: "chat weights: gpt4 40→30", outcome: .applied, fromVersion: 3, toVersion: 4),
        ]
        var interaction = DashboardInteraction()
        interaction.view = .audit
        let canvas = DashboardScreen(state: RoutingViewTests.state(audit: audit), interaction: interaction)
            .render(size: Size(width: 100, height: 30), context: F.context())
        func role(of needle: String) throws -> StyleRole {
            guard let y = canvas.lines.firstIndex(where: { $0.contains(needle) }) else {
                throw ScreenMiss(description: "\(needle) not on screen:\n\(canvas.text)")
            }
            let line = canvas.lines[y]
            let x = line.distance(from: line.startIndex, to: line.range(of: needle)!.lowerBound)
            return canvas.role(x: x, y: y)
        }
        #expect(try role(of: "automatic") == .normal)
        #expect(!canvas.text.contains("refused"))
        #expect(try role(of: "rejected") == .critical)
        #expect(try role(of: "applied") == .ok)
    }
}

struct ScreenMiss: Error, CustomStringConvertible {
    var description: String
}
