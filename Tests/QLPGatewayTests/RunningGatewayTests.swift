import Foundation
import Testing

@testable import QLPGateway

/// How a running gateway announces itself to `qlp routes` (issue 17 item 6).
@Suite struct RunningGatewayTests {
    @Test func aWrittenFileIsOwnerOnlyAndReadsBackAsLive() throws {
        let state = RouteTableFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let gateway = RunningGateway(
            kind: .demo, pid: 4242, gateway: "http://127.0.0.1:1", admin: "http://127.0.0.1:2",
            adminToken: "demo-abc", started: Date(timeIntervalSince1970: 1_800_000_000))
        let path = try RunningGatewayDirectory.write(gateway, stateDirectory: state)
        #expect(path == state + "/running/4242.json")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let folderMode = try FileManager.default.attributesOfItem(atPath: state + "/running")[.posixPermissions] as? Int
        #expect(folderMode == 0o700)
        // No partial file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: state + "/running") == ["4242.json"])
        let scan = RunningGatewayDirectory.scan(stateDirectory: state, isRunning: { $0 == 4242 })
        #expect(scan.live.map(\.gateway) == [gateway])
        #expect(scan.stale.isEmpty && scan.unreadable.isEmpty)
        RunningGatewayDirectory.remove(pid: 4242, stateDirectory: state)
        #expect(RunningGatewayDirectory.scan(stateDirectory: state).live.isEmpty)
    }

    @Test func aDeadPidIsStaleAndAStrangeFileIsUnreadableAndTheNewestLiveComesFirst() throws {
        let state = RouteTableFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let old = RunningGateway(
            kind: .gateway, pid: 10, gateway: "http://127.0.0.1:1", admin: "http://127.0.0.1:2",
            started: Date(timeIntervalSince1970: 1_000))
        let new = RunningGateway(
            kind: .demo, pid: 11, gateway: "http://127.0.0.1:3", admin: "http://127.0.0.1:4",
            started: Date(timeIntervalSince1970: 2_000))
        let gone = RunningGateway(kind: .demo, pid: 12, gateway: "http://127.0.0.1:5", admin: "http://127.0.0.1:6")
        for gateway in [old, new, gone] { try RunningGatewayDirectory.write(gateway, stateDirectory: state) }
        try "not json".write(toFile: state + "/running/13.json", atomically: true, encoding: .utf8)
        let scan = RunningGatewayDirectory.scan(stateDirectory: state, isRunning: { $0 != 12 })
        #expect(scan.live.map(\.gateway.pid) == [11, 10])
        #expect(scan.stale.map(\.gateway.pid) == [12])
        #expect(scan.unreadable.map(\.path) == [state + "/running/13.json"])
    }

    @Test func aRealGatewaysFileHoldsNoToken() throws {
        let file = RunningGatewayDirectory.encoded(RunningGateway(kind: .gateway, pid: 1, gateway: "g", admin: "a"))
        #expect(!String(decoding: file, as: UTF8.self).contains("admin_token"))
    }

    @Test func thisProcessIsRunningAndAnImpossiblePidIsNot() {
        #expect(RunningGatewayDirectory.isRunning(getpid()))
        #expect(!RunningGatewayDirectory.isRunning(4_194_999))
        #expect(!RunningGatewayDirectory.isRunning(0))
    }
}
