import Foundation
import QLPCore
import Testing

@Suite struct AlertTrackerTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let budget = Alert(key: "budget.monthly.95", severity: .critical, source: .budget, text: "monthly budget past 95%")
    static let slow = Alert(key: "gateway.latency SLO.chat.1", severity: .warning, source: .gateway, text: "chat p95 over SLO")

    @Test func aNewConditionIsRaisedOnceAndClearedOnce() {
        var tracker = AlertTracker()
        let raised = tracker.update([Self.slow], now: Self.start)
        #expect(raised.map(\.kind) == [.raised])
        #expect(raised.first?.raisedAt == Self.start)
        // Repeats say nothing.
        #expect(tracker.update([Self.slow], now: Self.start.addingTimeInterval(2)).isEmpty)
        #expect(tracker.update([Self.slow], now: Self.start.addingTimeInterval(4)).isEmpty)
        let cleared = tracker.update([], now: Self.start.addingTimeInterval(6))
        #expect(cleared.map(\.kind) == [.cleared])
        #expect(cleared.first?.raisedAt == Self.start)
        #expect(cleared.first?.clearedAt == Self.start.addingTimeInterval(6))
        #expect(tracker.update([], now: Self.start.addingTimeInterval(8)).isEmpty)
    }

    @Test func raisingAgainAfterClearingIsANewOccurrenceWithItsOwnIdentity() {
        var tracker = AlertTracker()
        let first = tracker.update([Self.slow], now: Self.start)
        _ = tracker.update([], now: Self.start.addingTimeInterval(10))
        let second = tracker.update([Self.slow], now: Self.start.addingTimeInterval(20))
        #expect(second.map(\.kind) == [.raised])
        #expect(first.first?.identity != second.first?.identity)
    }

    @Test func onlyCriticalAlertsAreRemindedAtTheInterval() {
        var tracker = AlertTracker(reminderInterval: 3600)
        _ = tracker.update([Self.budget, Self.slow], now: Self.start)
        #expect(tracker.update([Self.budget, Self.slow], now: Self.start.addingTimeInterval(3599)).isEmpty)
        let due = tracker.update([Self.budget, Self.slow], now: Self.start.addingTimeInterval(3600))
        #expect(due.map(\.kind) == [.reminder])
        #expect(due.first?.alert.key == Self.budget.key)
        #expect(due.first?.reminder == 1)
        #expect(tracker.update([Self.budget, Self.slow], now: Self.start.addingTimeInterval(3700)).isEmpty)
        #expect(tracker.update([Self.budget, Self.slow], now: Self.start.addingTimeInterval(7200)).first?.reminder == 2)
    }

    @Test func noRemindersWithoutAnInterval() {
        var tracker = AlertTracker()
        _ = tracker.update([Self.budget], now: Self.start)
        #expect(tracker.update([Self.budget], now: Self.start.addingTimeInterval(86_400 * 30)).isEmpty)
    }

    @Test func aTrackerSeededWithOpenConditionsDoesNotRaiseThemAgain() {
        let open = AlertTracker.Open(alert: Self.budget, raisedAt: Self.start, lastNotice: Self.start, reminders: 0)
        var tracker = AlertTracker(open: [open])
        #expect(tracker.update([Self.budget], now: Self.start.addingTimeInterval(60)).isEmpty)
        let cleared = tracker.update([], now: Self.start.addingTimeInterval(120))
        #expect(cleared.map(\.kind) == [.cleared])
        #expect(cleared.first?.raisedAt == Self.start)
    }

    @Test func theIdentityIsTheSameForTheSameTransitionOfTheSameOccurrence() {
        let a = AlertTransition(kind: .raised, alert: Self.budget, raisedAt: Self.start, at: Self.start)
        var b = a
        b.at = Self.start.addingTimeInterval(30)
        #expect(a.identity == b.identity)
        let cleared = AlertTransition(kind: .cleared, alert: Self.budget, raisedAt: Self.start, at: Self.start)
        #expect(a.identity != cleared.identity)
    }

    @Test func aDuplicateKeyInOneEvaluationCountsOnce() {
        var tracker = AlertTracker()
        #expect(tracker.update([Self.slow, Self.slow], now: Self.start).count == 1)
    }
}

@Suite struct AlertCoverageTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let budget = Alert(key: "budget.monthly.50", severity: .warning, source: .budget, text: "monthly budget past 50%")
    static let slow = Alert(key: "gateway.latency SLO.chat.1", severity: .warning, source: .gateway, text: "chat p95 over SLO")

    /// A restart, before the first cost fetch: the budget alert the last run
    /// left open is unknown, not cleared (clearing it would notify a clearing,
    /// then a new raising once the data is in).
    @Test func anOpenAlertOfASourceNotYetJudgedStaysOpen() {
        let open = AlertTracker.Open(alert: Self.budget, raisedAt: Self.start, lastNotice: Self.start, reminders: 0)
        var tracker = AlertTracker(open: [open])
        #expect(tracker.update([], covering: [.gateway, .routing], now: Self.start.addingTimeInterval(2)).isEmpty)
        #expect(tracker.update([Self.budget], covering: [.budget, .gateway], now: Self.start.addingTimeInterval(4)).isEmpty)
        let cleared = tracker.update([], covering: [.budget], now: Self.start.addingTimeInterval(6))
        #expect(cleared.map(\.kind) == [.cleared])
    }

    @Test func aNewAlertIsRaisedWhateverTheCoverage() {
        var tracker = AlertTracker()
        #expect(tracker.update([Self.slow], covering: [], now: Self.start).map(\.kind) == [.raised])
        // Gone, but its source not judged this time: still open.
        #expect(tracker.update([], covering: [.budget], now: Self.start.addingTimeInterval(2)).isEmpty)
        #expect(tracker.update([], covering: [.gateway], now: Self.start.addingTimeInterval(4)).map(\.kind) == [.cleared])
    }
}
