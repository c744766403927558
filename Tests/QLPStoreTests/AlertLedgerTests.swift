import Foundation
import QLPCore
import QLPStore
import Testing

@Suite struct AlertLedgerTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let budget = Alert(key: "budget.monthly.95", severity: .critical, source: .budget, text: "monthly budget past 95%: 96% used")
    static let slow = Alert(key: "gateway.latency SLO.chat.1", severity: .warning, source: .gateway, text: "chat p95 over SLO")

    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qlp-ledger-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aRestartResumesTheOpenConditionsWithoutRaisingThemAgain() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/alerts.sqlite"
        var tracker = AlertTracker()
        do {
            let ledger = try SQLiteAlertLedger(path: path, now: Self.start)
            try ledger.record(tracker.update([Self.budget, Self.slow], now: Self.start))
            try ledger.record(tracker.update([Self.budget], now: Self.start.addingTimeInterval(10)))
        }
        // A new process: the same file, a tracker resumed from it.
        let ledger = try SQLiteAlertLedger(path: path, now: Self.start.addingTimeInterval(20))
        let open = try ledger.open()
        #expect(open.map(\.alert.key) == [Self.budget.key])
        var resumed = AlertTracker(reminderInterval: nil, resuming: open)
        #expect(resumed.update([Self.budget], now: Self.start.addingTimeInterval(30)).isEmpty)
        let cleared = resumed.update([], now: Self.start.addingTimeInterval(40))
        #expect(cleared.map(\.kind) == [.cleared])
        #expect(cleared.first?.raisedAt == Self.start)
        try ledger.record(cleared)
        let history = try ledger.recent()
        #expect(history.count == 2)
        #expect(history.allSatisfy { !$0.isOpen })
        #expect(history.first { $0.alert.key == Self.budget.key }?.clearedAt == Self.start.addingTimeInterval(40))
        #expect(history.first { $0.alert.key == Self.slow.key }?.clearedAt == Self.start.addingTimeInterval(10))
    }

    @Test func anAcknowledgementIsKeptWithWhoAndWhen() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/alerts.sqlite"
        var tracker = AlertTracker()
        let ledger = try SQLiteAlertLedger(path: path, now: Self.start)
        try ledger.record(tracker.update([Self.budget], now: Self.start))
        #expect(try ledger.acknowledge(key: Self.budget.key, by: "maria", at: Self.start.addingTimeInterval(5)))
        // Only the first acknowledgement counts; an unknown key is no acknowledgement.
        #expect(try !ledger.acknowledge(key: Self.budget.key, by: "li", at: Self.start.addingTimeInterval(6)))
        #expect(try !ledger.acknowledge(key: "no.such.alert", by: "li", at: Self.start.addingTimeInterval(6)))
        let reopened = try SQLiteAlertLedger(path: path, now: Self.start.addingTimeInterval(60))
        let entry = try #require(try reopened.open().first)
        #expect(entry.acknowledgedBy == "maria")
        #expect(entry.acknowledgedAt == Self.start.addingTimeInterval(5))
    }

    @Test func remindersAreCountedSoARestartDoesNotRemindEarly() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/alerts.sqlite"
        var tracker = AlertTracker(reminderInterval: 600)
        let ledger = try SQLiteAlertLedger(path: path, now: Self.start)
        try ledger.record(tracker.update([Self.budget], now: Self.start))
        try ledger.record(tracker.update([Self.budget], now: Self.start.addingTimeInterval(600)))
        var resumed = AlertTracker(reminderInterval: 600, resuming: try ledger.open())
        #expect(resumed.update([Self.budget], now: Self.start.addingTimeInterval(900)).isEmpty)
        #expect(resumed.update([Self.budget], now: Self.start.addingTimeInterval(1200)).first?.reminder == 2)
    }

    @Test func clearedHistoryOlderThanTheLimitIsPrunedWhenTheFileOpens() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/alerts.sqlite"
        var tracker = AlertTracker()
        let ledger = try SQLiteAlertLedger(path: path, maxAge: 3600, now: Self.start)
        try ledger.record(tracker.update([Self.budget, Self.slow], now: Self.start))
        try ledger.record(tracker.update([Self.budget], now: Self.start.addingTimeInterval(10)))
        let later = try SQLiteAlertLedger(path: path, maxAge: 3600, now: Self.start.addingTimeInterval(7200))
        // The open one stays however old; the cleared one is gone.
        #expect(try later.recent().map(\.alert.key) == [Self.budget.key])
    }

    @Test func anUnusableFileIsNamedInTheError() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/alerts.sqlite"
        try Data("not a database, not at all".utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteAlertLedger(path: path)
        } throws: { error in
            (error as? StoreError)?.path == path
        }
    }
}
