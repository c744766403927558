import Testing
import QLPRouting
@testable import QLPGateway

@Suite struct LiveRouteTableTests {
    @Test func aReaderKeepsTheSnapshotItLoadedAcrossAPublish() {
        let first = RouteTable(version: 1, targets: [], routes: [])
        let live = LiveRouteTable(first)
        let held = live.snapshot
        live.publish(RouteTable(version: 2, targets: [], routes: []))
        #expect(held.table.version == 1)
        #expect(live.snapshot.table.version == 2)
    }
}
