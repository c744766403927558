import Foundation
import QLPCanvas
import QLPRouting
import Testing

@testable import QLPDashboard
@testable import QLPFeed

/// The Audit view when the audit log cannot be read (the route store's
/// SQLite failing, every attached replica refusing): the control's failure
/// was turned into an empty list, and the view said "no route changes yet",
/// a claim about the log nobody read. It now says it cannot read the log and
/// why, and keeps the lines last read, marked as such.
@Suite struct AuditUnreadableTests {
    func auditScreen(_ store: DashboardStateStore) -> String {
        var interaction = DashboardInteraction()
        interaction.view = .audit
        return DashboardScreen(state: store.state, interaction: interaction)
            .render(size: Size(width: 100, height: 24), context: DashboardFixtures.context()).text
    }

    @Test func aLogNeverReadIsNotCalledEmpty() async {
        let control = FakeRouteControl(table: RoutingFixtures.table)
        await control.failAudit("route store: database disk image is malformed")
        let store = DashboardStateStore(RoutingViewTests.state())
        await RoutePoller(control: control, store: store, interval: RefreshInterval(.seconds(1)), wake: WakeSignal()).refresh()
        let screen = auditScreen(store)
        #expect(!screen.contains("no route changes yet"), "\(screen)")
        #expect(screen.contains("cannot read the audit log: route store: database disk image is malformed"), "\(screen)")
        // The rest of the panel (the table for the Routing view) still came through.
        #expect(store.state.routing.value?.table.version == RoutingFixtures.table.version)
    }

    @Test func linesReadBeforeStayMarkedAsLastRead() async {
        let control = FakeRouteControl(table: RoutingFixtures.table)
        _ = await control.apply(.drain(target: "gpt35"), expectedVersion: RoutingFixtures.table.version, reason: nil)
        let store = DashboardStateStore(RoutingViewTests.state())
        let poller = RoutePoller(control: control, store: store, interval: RefreshInterval(.seconds(1)), wake: WakeSignal())
        await poller.refresh()
        #expect(!auditScreen(store).contains("cannot read"))
        await control.failAudit("every replica refused: 503")
        await poller.refresh()
        let screen = auditScreen(store)
        #expect(screen.contains("cannot read the audit log: every replica refused: 503 (the lines below are as last read)"), "\(screen)")
        #expect(screen.contains("alice") && screen.contains("gpt35"), "the line read before is gone:\n\(screen)")
        // Readable again: the warning goes.
        await control.failAudit(nil)
        await poller.refresh()
        #expect(!auditScreen(store).contains("cannot read"))
    }
}
