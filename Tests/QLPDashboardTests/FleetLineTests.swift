import Foundation
import QLPCanvas
import QLPDashboard
import Testing

/// The Routing view's line about the attached replicas (`qlp dash --attach`).
@Suite struct FleetLineTests {
    typealias F = DashboardFixtures

    static func up(_ name: String, _ version: Int, store: Bool = true) -> ReplicaStatus {
        ReplicaStatus(name: name, address: "http://10.0.0.1:8089", state: .up(version: version, storeHealthy: store))
    }

    static let four = [
        up("gw-a", 12), up("gw-b", 12), up("gw-c", 11),
        ReplicaStatus(name: "gw-d", address: "http://10.0.0.4:8089", state: .down(reason: "connection refused")),
    ]

    @Test func eachReplicaWithItsVersionAndHealth() {
        #expect(FleetLine.text(Self.four, width: 78, glyphs: .unicode) == "fleet: gw-a v12 ok · gw-b v12 ok · gw-c v11 behind · gw-d down")
        #expect(FleetLine.text([Self.up("gw-a", 3, store: false)], width: 78, glyphs: .ascii) == "fleet: gw-a v3 store down")
    }

    @Test func tooManyShowTheTroubledFirstAndCountTheRest() {
        let many =
            (1...12).map { Self.up("replica-\($0)", 40) } + [Self.up("replica-13", 39)]
            + [ReplicaStatus(name: "replica-14", address: "x", state: .down(reason: "timed out"))]
        let line = FleetLine.text(many, width: 78, glyphs: .unicode)
        #expect(DisplayWidth.of(line) <= 78, "\(line)")
        #expect(line.hasPrefix("fleet: replica-14 down · replica-13 v39 behind · "), "\(line)")
        #expect(line.contains("more: ") && line.hasSuffix(" ok"), "\(line)")
        let shown = line.components(separatedBy: " · ").count - 1
        #expect(line.contains("+\(14 - shown) more: \(14 - shown) ok"), "\(line)")
        // Very long names are cut, never the line's shape.
        let long = [Self.up(String(repeating: "x", count: 60), 1)]
        #expect(FleetLine.text(long, width: 78, glyphs: .unicode) == "fleet: \(String(repeating: "x", count: 15))… v1 ok")
        #expect(DisplayWidth.of(FleetLine.text(many, width: 20, glyphs: .ascii)) <= 20)
    }

    @Test func theRoutingViewAndHeaderSayTheDashboardIsAttached() {
        var state = RoutingViewTests.state()
        state.identity.attachedTo = ["http://127.0.0.1:1", "http://127.0.0.1:2"]
        state.fleet = [Self.up("gw-a", 3), Self.up("gw-b", 3)]
        var i = DashboardInteraction()
        i.view = .routing
        let text = DashboardScreen(state: state, interaction: i).render(size: Size(width: 80, height: 24), context: F.context()).text
        #expect(text.contains("attached: 2 replicas"), "\(text)")
        #expect(text.contains("fleet: gw-a v3 ok · gw-b v3 ok"), "\(text)")
        #expect(text.contains("gpt4"), "\(text)")
        // Not attached: no fleet line.
        let alone = DashboardScreen(state: RoutingViewTests.state(), interaction: i).render(
            size: Size(width: 80, height: 24),
            context: F.context()
        ).text
        #expect(!alone.contains("fleet:") && !alone.contains("attached:"))
    }
}
