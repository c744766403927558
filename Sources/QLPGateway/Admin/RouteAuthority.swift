import Foundation
import Logging
import QLPCore
import QLPRouting
import QLPStore

/// The one writer of the route table. Every change (admin API, `qlp routes`,
/// the dashboard, budget rules) comes through here, one at a time: it is
/// checked against the version the caller saw, validated, committed with its
/// audit entry (durable), and only then published to the gateway's live table
/// in one atomic store. Requests never wait for any of this: they read
/// whichever snapshot was published last.
///
/// Budget rules: the authority keeps the latest spend per category
/// (`updateBudget`); whenever the set of rules in force changes (spend crossed
/// a threshold, an operator suspended or resumed a rule, a change added or
/// removed one) it publishes the table with the new rules, writes an audit
/// entry by "budget-rule" and raises a ``RoutingAlert``.
public actor RouteAuthority {
    public nonisolated let store: SQLiteRouteStore
    public nonisolated let live: LiveRouteTable
    private var table: RouteTable
    private var activeRules: [BudgetRoutingRule]
    private var percentSpent: [String: Decimal] = [:]
    private var alertLog: [RoutingAlert] = []
    /// Each rule in force now: what was said when it fired, and when.
    private var firings: [String: (text: String, at: Date)] = [:]
    private let logger: Logger
    private let clock: @Sendable () -> Date
    /// Alerts kept for the dashboard; older ones are in the audit log.
    static let alertsKept = 200

    /// - Parameters:
    ///   - live: published to after every change; its current table must be the store's latest.
    ///   - clock: the time audit entries and alerts are stamped with.
    public init(store: SQLiteRouteStore, live: LiveRouteTable, logger: Logger = Logger(label: "qlp.routes"),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.live = live
        self.logger = logger
        self.clock = clock
        let snapshot = live.snapshot
        table = snapshot.table
        activeRules = snapshot.compiled.activeRules
        // Rules already in force when this process starts are conditions that hold.
        let now = clock()
        for rule in activeRules { firings[rule.name] = ("\(rule.name) in force: \(rule.route) -> \(rule.sendTo)", now) }
    }

    /// The table in force and the budget rules moving traffic now.
    public var current: (table: RouteTable, activeRules: [BudgetRoutingRule]) { (table, activeRules) }

    /// Routing alerts, oldest first.
    public var alerts: [RoutingAlert] { alertLog }

    /// One warning per budget rule in force: raised when it fires, cleared
    /// when it clears, as conditions rather than as a log of events.
    public var ruleAlerts: [Alert] {
        firings.sorted { $0.key < $1.key }.map { name, firing in
            Alert(key: "routing.budget-rule.\(name)", severity: .warning, source: .routing, text: firing.text, at: firing.at)
        }
    }

    // MARK: - Changes

    /// Applies `change` if the table is still at `expectedVersion` (nil: whatever it is).
    /// - Returns: the audit entry of the committed change.
    /// - Throws: the reason it was refused; refusals are audited too.
    @discardableResult
    public func apply(_ change: RouteChange, expectedVersion: Int?, actor: String,
                      reason: String?) throws(RouteChangeRejection) -> RouteAuditEntry {
        let draft = RouteAuditDraft(at: clock(), actor: actor, action: RouteAuditEntry.Action(change),
                                    summary: change.summary(before: table), reason: reason)
        return try commit(change, draft: draft, expectedVersion: expectedVersion)
    }

    /// Puts back the table as it was before the last applied change, as a new
    /// version audited "undo of #N". Undoing an undo re-applies the change.
    @discardableResult
    public func undo(actor: String, reason: String?, expectedVersion: Int? = nil) throws(RouteChangeRejection) -> RouteAuditEntry {
        var draft = RouteAuditDraft(at: clock(), actor: actor, action: .undo, summary: "undo", reason: reason)
        let last: RouteAuditEntry?
        let before: RouteTable?
        do {
            try catchUp()
            last = try store.lastApplied()
            before = try last.flatMap { entry throws(StoreError) in
                entry.action == .seed ? nil : try store.table(version: entry.fromVersion)
            }
        } catch {
            throw .storage(error)
        }
        guard let last, let before else {
            draft.rejection = RouteChangeRejection.nothingToUndo.description
            recordRejection(draft)
            throw .nothingToUndo
        }
        draft.summary = "undo of #\(last.id) (\(last.summary))"
        // The table to put back was picked from the log at this version: if another process commits
        // first, the undo is refused as stale rather than putting back the wrong table.
        return try commit(.restore(to: before), draft: draft, expectedVersion: expectedVersion ?? last.toVersion)
    }

    private func commit(_ change: RouteChange, draft: RouteAuditDraft,
                        expectedVersion: Int?) throws(RouteChangeRejection) -> RouteAuditEntry {
        // Another process may have committed since (a `qlp gateway` and a `qlp dash` on one database):
        // the change is checked against, and made on top of, the table in the store, not the one last seen here.
        do {
            try catchUp()
        } catch {
            throw .storage(error)
        }
        // A commit that loses a race with another process's is made again on the table that won, once per
        // change the other side managed in between; bounded, in case the other side never stops.
        for _ in 0..<3 {
            if let entry = try attempt(change, draft: draft, expectedVersion: expectedVersion) { return entry }
        }
        throw .storage(StoreError(path: store.path, detail: "route changes by another process kept overtaking this one; try again"))
    }

    /// One try at committing `change`; nil when another process committed first (the table has been caught up).
    private func attempt(_ change: RouteChange, draft: RouteAuditDraft,
                         expectedVersion: Int?) throws(RouteChangeRejection) -> RouteAuditEntry? {
        var draft = draft
        if let expectedVersion, expectedVersion != table.version {
            // Described against the table the caller saw, which is what they meant to change.
            if case .restore = change {} else if let seen = try? store.table(version: expectedVersion) {
                draft.summary = change.summary(before: seen)
            }
            draft.rejection = "stale: made against version \(expectedVersion), the table is at version \(table.version)"
            recordRejection(draft)
            throw .stale(current: table.version)
        }
        let next: RouteTable
        do {
            next = try table.applying(change)
        } catch {
            draft.rejection = error.description
            recordRejection(draft)
            throw .invalid(error)
        }
        let entry: RouteAuditEntry
        do {
            entry = try store.commit(table: next, audit: draft)
        } catch {
            // Lost a race with another process's commit: caught up, the next try refuses a change made
            // against a version (an undo always is) as stale, and makes one without a version on the new table.
            if (try? catchUp()) == true { return nil }
            logger.error("route change not saved; not applied", metadata: ["actor": "\(draft.actor)", "error": "\(error)"])
            throw .storage(error)
        }
        table = next
        logger.info("route change applied", metadata: ["actor": "\(draft.actor)", "action": "\(draft.action.rawValue)",
                                                       "version": "\(next.version)", "summary": "\(draft.summary)"])
        publish()
        return entry
    }

    private func recordRejection(_ draft: RouteAuditDraft) {
        logger.notice("route change rejected", metadata: ["actor": "\(draft.actor)", "action": "\(draft.action.rawValue)",
                                                          "reason": "\(draft.rejection ?? "")"])
        do {
            try store.recordRejected(audit: draft)
        } catch {
            // The refusal stands either way; only its trace is lost.
            logger.error("cannot record a rejected route change", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - Changes by other processes

    /// Takes up the store's table if another process has committed a newer
    /// one since this authority last saw it, and publishes it to the live
    /// table. Costs one read of the latest version when nothing changed.
    /// - Returns: whether the table changed.
    @discardableResult
    public func catchUp() throws(StoreError) -> Bool {
        guard let stored = try store.latestVersion(), stored > table.version,
              let fresh = try store.latest(), fresh.version > table.version else { return false }
        logger.notice("route table reloaded: changed by another process", metadata: [
            "from": "\(table.version)", "to": "\(fresh.version)", "database": "\(store.path)"])
        table = fresh
        publish()
        return true
    }

    /// Looks for another process's changes every `interval` until the task is
    /// cancelled, so that a process that only serves traffic (no change comes
    /// through it) still serves the table in force. A failing store is logged
    /// when it starts failing and when it recovers, not on every look.
    public func watchStore(every interval: Duration = RouteStoreWatch.interval) async {
        var watch = RouteStoreWatch()
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            let outcome: Result<Bool, StoreError>
            do {
                outcome = .success(try catchUp())
            } catch {
                outcome = .failure(error)
            }
            switch watch.record(outcome) {
            case .nothing: break
            case .failing(let error):
                logger.error("cannot check the route database for changes by another process; serving the table as last read",
                             metadata: ["error": "\(error)"])
            case .recovered:
                logger.notice("route database readable again; changes by another process are picked up")
            }
        }
    }

    // MARK: - Budget rules

    /// The latest spend per budget category (percent of its allocation, 95
    /// for 95%); routing follows at once if a rule fires or clears.
    public func updateBudget(percentSpent: [String: Decimal]) {
        self.percentSpent = percentSpent
        publish()
    }

    /// Publishes the table with the rules in force now, auditing and alerting on each rule that fired or cleared.
    private func publish() {
        let now = BudgetRuleEvaluation.active(table.budgetRules, suspended: table.suspendedRules, percentSpent: percentSpent)
        let before = Set(activeRules.map(\.name)), after = Set(now.map(\.name))
        // Persist first, as for any change; the audit entries describe what is about to take effect.
        for rule in now where !before.contains(rule.name) {
            note(rule, fired: true, text: "\(rule.name) fired: \(rule.category) at \(percentText(percentSpent[rule.category])) ≥ "
                 + "\(percentText(rule.atPercent)); \(rule.route) -> \(rule.sendTo)"
                 + (rule.exceptTargets.isEmpty ? "" : " except \(rule.exceptTargets.joined(separator: ", "))"))
        }
        for rule in activeRules where !after.contains(rule.name) {
            let why: String
            if table.suspendedRules.contains(rule.name) {
                why = "suspended by an operator"
            } else if !table.budgetRules.contains(where: { $0.name == rule.name }) {
                why = "no longer configured"
            } else if let spent = percentSpent[rule.category] {
                why = "\(rule.category) at \(percentText(spent)) < \(percentText(rule.atPercent))"
            } else {
                why = "\(rule.category) spend unknown"
            }
            note(rule, fired: false, text: "\(rule.name) cleared: \(why); \(rule.route) back to its own policy")
        }
        activeRules = now
        live.publish(table, activeRules: now)
    }

    private func note(_ rule: BudgetRoutingRule, fired: Bool, text: String) {
        let at = clock()
        do {
            try store.recordAutomatic(audit: RouteAuditDraft(at: at, actor: "budget-rule",
                                                             action: fired ? .budgetRuleFired : .budgetRuleCleared, summary: text))
        } catch {
            logger.error("cannot record a budget rule change", metadata: ["rule": "\(rule.name)", "error": "\(error)"])
        }
        logger.notice("budget rule \(fired ? "fired" : "cleared")", metadata: ["rule": "\(rule.name)", "text": "\(text)"])
        alertLog.append(RoutingAlert(at: at, severity: fired ? .warning : .info, text: text))
        firings[rule.name] = fired ? (text, at) : nil
        if alertLog.count > Self.alertsKept { alertLog.removeFirst(alertLog.count - Self.alertsKept) }
    }

    /// "96.2%", "95%", "unknown".
    private func percentText(_ value: Decimal?) -> String {
        guard let value else { return "unknown" }
        let rounded = value.rounded(scale: 1)
        return "\(rounded == rounded.rounded(scale: 0) ? rounded.rounded(scale: 0) : rounded)%"
    }
}
