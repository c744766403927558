import Foundation
import QLPCore
import QLPStore
import Testing

@Suite("Notification outbox")
struct NotificationOutboxTests {
    let t0 = NotifyFixtures.t0

    func draft(
        _ sink: String = "oncall", identity: String = "budget.monthly.95|1|raised", alertKey: String = "budget.monthly.95",
        kind: AlertTransition.Kind = .raised
    ) -> OutboxDraft {
        OutboxDraft(
            sink: sink, identity: identity, idempotencyKey: "key-\(identity)", alertKey: alertKey, severity: .critical,
            transitionKind: kind, body: Array("{\"a\":1}".utf8), headers: [OutboxHeader("Subject", "s")])
    }

    @Test func enqueueingTwiceIsANoOpAndTheRowSurvivesReopening() throws {
        let directory = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/notifications.sqlite"
        do {
            let outbox = try NotificationOutbox(path: path)
            #expect(try outbox.enqueue(draft(), at: t0))
            #expect(try !outbox.enqueue(draft(), at: t0.addingTimeInterval(5)))
            #expect(try outbox.enqueue(draft("chat"), at: t0))
        }
        let reopened = try NotificationOutbox(path: path)
        let messages = try reopened.messages()
        #expect(messages.map(\.draft.sink) == ["oncall", "chat"])
        #expect(messages[0].draft == draft() && messages[0].state == .pending && messages[0].attempts == 0)
        #expect(messages[0].createdAt == t0 && messages[0].nextAttemptAt == t0)
        // Owner-only, like every store of qlp's.
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func dueComesOldestFirstAndClaimingKeepsOthersOffWhileSending() throws {
        let directory = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outbox = try NotificationOutbox(path: directory + "/o.sqlite")
        try outbox.enqueue(draft(identity: "b"), at: t0.addingTimeInterval(10))
        try outbox.enqueue(draft(identity: "a"), at: t0)
        try outbox.enqueue(draft(identity: "c"), at: t0.addingTimeInterval(100))
        #expect(try outbox.due(now: t0.addingTimeInterval(50), limit: 10).map(\.draft.identity) == ["a", "b"])
        #expect(try outbox.due(now: t0.addingTimeInterval(50), limit: 1).map(\.draft.identity) == ["a"])
        let claimed = try outbox.claimDue(now: t0.addingTimeInterval(50), limit: 10, lease: .seconds(120))
        #expect(claimed.map(\.draft.identity) == ["a", "b"])
        #expect(try outbox.claimDue(now: t0.addingTimeInterval(60), limit: 10).map(\.draft.identity) == [])
        #expect(try outbox.nextDueAt() == t0.addingTimeInterval(100))
    }

    @Test func outcomesMoveTheStateAndTheLatestTransitionPerSinkIsReported() throws {
        let directory = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outbox = try NotificationOutbox(path: directory + "/o.sqlite")
        try outbox.enqueue(draft("oncall", identity: "k|1|raised"), at: t0)
        try outbox.enqueue(draft("chat", identity: "k|1|raised"), at: t0)
        try outbox.enqueue(draft("mail", identity: "k|1|raised"), at: t0)
        let ids = try outbox.messages().map(\.id)
        try outbox.record(.delivered, for: ids[0], at: t0.addingTimeInterval(1))
        try outbox.record(.retry(at: t0.addingTimeInterval(15), error: "HTTP 503"), for: ids[1], at: t0.addingTimeInterval(1))
        try outbox.record(.failed(reason: "the receiver refused it: HTTP 404"), for: ids[2], at: t0.addingTimeInterval(1))
        // A later transition of the same alert supersedes the earlier at that sink.
        try outbox.enqueue(draft("oncall", identity: "k|1|cleared", kind: .cleared), at: t0.addingTimeInterval(60))

        let states = try outbox.deliveries(alertKey: "budget.monthly.95")
        #expect(states.map(\.sink) == ["chat", "mail", "oncall"])
        #expect(states[0].status == .retrying(attempt: 1, nextAt: t0.addingTimeInterval(15), lastError: "HTTP 503"))
        #expect(states[1].status == .failed(reason: "the receiver refused it: HTTP 404"))
        #expect(states[2].status == .pending && states[2].transitionKind == .cleared)
        #expect(try outbox.latestStates()["budget.monthly.95"]?.count == 3)
        let delivered = try #require(try outbox.messages().first { $0.id == ids[0] })
        #expect(delivered.state == .delivered && delivered.deliveredAt == t0.addingTimeInterval(1) && delivered.attempts == 1)
    }

    @Test func pruningDropsOnlyOldFinishedMessages() throws {
        let directory = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outbox = try NotificationOutbox(path: directory + "/o.sqlite")
        try outbox.enqueue(draft(identity: "old-delivered"), at: t0)
        try outbox.enqueue(draft(identity: "old-pending"), at: t0)
        try outbox.enqueue(draft(identity: "new-delivered"), at: t0.addingTimeInterval(29 * 86400))
        let ids = try outbox.messages().map(\.id)
        try outbox.record(.delivered, for: ids[0], at: t0)
        try outbox.record(.delivered, for: ids[2], at: t0.addingTimeInterval(29 * 86400))
        #expect(try outbox.prune(olderThanDays: 7, now: t0.addingTimeInterval(30 * 86400)) == 1)
        #expect(try outbox.messages().map(\.draft.identity) == ["old-pending", "new-delivered"])
    }

    @Test func aFileThatIsNotADatabaseIsATypedErrorNamingIt() throws {
        let directory = NotifyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/broken.sqlite"
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try NotificationOutbox(path: path)
        } throws: { error in
            (error as? StoreError)?.path == path && (error as? StoreError)?.detail.contains("outbox") == true
        }
    }
}
