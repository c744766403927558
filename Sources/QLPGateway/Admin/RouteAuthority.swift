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
///
/// The store may be shared (a fleet of replicas on Redis, or a gateway and a
/// dashboard on one SQLite file): every commit is checked against the stored
/// version by the store itself, so an authority only ever moves its table
/// forward, to a version the store holds.
public actor RouteAuthority {
    public nonisolated let store: any RouteStore
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
    public init(
        store: any RouteStore, live: LiveRouteTable, logger: Logger = Logger(label: "qlp.routes"),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
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
    public func apply(
        _ change: RouteChange, expectedVersion: Int?, actor: String,
        reason: String?
    ) async throws(RouteChangeRejection) -> RouteAuditEntry {
        let draft = RouteAuditDraft(
            at: clock(), actor: actor, action: RouteAuditEntry.Action(change),
            summary: change.summary(before: table), reason: reason)
        return try await commit(change, draft: draft, expectedVersion: expectedVersion)
    }

    /// Puts back the table as it was before the last applied change, as a new
    /// version audited "undo of #N". Undoing an undo re-applies the change.
    @discardableResult
    public func undo(actor: String, reason: String?, expectedVersion: Int? = nil) async throws(RouteChangeRejection) -> RouteAuditEntry {
        var draft = RouteAuditDraft(at: clock(), actor: actor, action: .undo, summary: "undo", reason: reason)
        let last: RouteAuditEntry?
        let before: RouteTable?
        do {
            try await catchUp()
            last = try await store.lastApplied()
            if let last, last.action != .seed {
                before = try await store.table(version: last.fromVersion)
            } else {
                before = nil
            }
        } catch {
            throw .storage(error)
        }
        guard let last, let before else {
            draft.rejection = RouteChangeRejection.nothingToUndo.description
            await recordRejection(draft)
            throw .nothingToUndo
        }
        draft.summary = "undo of #\(last.id) (\(last.summary))"
        // The table to put back was picked from the log at this version: if another process commits
        // first, the undo is refused as stale rather than putting back the wrong table.
        return try await commit(.restore(to: before), draft: draft, expectedVersion: expectedVersion ?? last.toVersion)
    }

    private func commit(
        _ change: RouteChange, draft: RouteAuditDraft,
        expectedVersion: Int?
    ) async throws(RouteChangeRejection) -> RouteAuditEntry {
        // Another process may have committed since (a `qlp gateway` and a `qlp dash` on one database):
        // the change is checked against, and made on top of, the table in the store, not the one last seen here.
        do {
            try await catchUp()
        } catch {
            throw .storage(error)
        }
        // A commit that loses a race with another process's is made again on the table that won, once per
        // change the other side managed in between; bounded, in case the other side never stops.
        for _ in 0..<3 {
            if let entry = try await attempt(change, draft: draft, expectedVersion: expectedVersion) { return entry }
        }
        throw .storage(StoreError(path: store.location, detail: "route changes by another process kept overtaking this one; try again"))
    }

    /// One try at committing `change`; nil when another process committed first (the table has been caught up).
    private func attempt(
        _ change: RouteChange, draft: RouteAuditDraft,
        expectedVersion: Int?
    ) async throws(RouteChangeRejection) -> RouteAuditEntry? {
        var draft = draft
        let base = table
        if let expectedVersion, expectedVersion != base.version {
            // Described against the table the caller saw, which is what they meant to change.
            if case .restore = change {
            } else if let seen = try? await store.table(version: expectedVersion) {
                draft.summary = change.summary(before: seen)
            }
            draft.rejection = "stale: made against version \(expectedVersion), the table is at version \(base.version)"
            await recordRejection(draft)
            throw .stale(current: base.version)
        }
        let next: RouteTable
        do {
            next = try base.applying(change)
        } catch {
            draft.rejection = error.description
            await recordRejection(draft)
            throw .invalid(error)
        }
        let entry: RouteAuditEntry
        do {
            entry = try await store.commit(table: next, audit: draft)
        } catch {
            // Lost a race with another process's commit: caught up, the next try refuses a change made
            // against a version (an undo always is) as stale, and makes one without a version on the new table.
            // (An announcement may have brought the newer table in while the commit was waiting: that counts too.)
            if (try? await catchUp()) == true || table.version > base.version { return nil }
            logger.error("route change not saved; not applied", metadata: ["actor": "\(draft.actor)", "error": "\(error)"])
            throw .storage(error)
        }
        // While the store was committing, this actor may have taken up a newer table (an announcement
        // from another replica): only ever move forward.
        guard next.version > table.version else { return entry }
        table = next
        logger.info(
            "route change applied",
            metadata: [
                "actor": "\(draft.actor)", "action": "\(draft.action.rawValue)",
                "version": "\(next.version)", "summary": "\(draft.summary)",
            ])
        await publish()
        return entry
    }

    private func recordRejection(_ draft: RouteAuditDraft) async {
        logger.notice(
            "route change rejected",
            metadata: [
                "actor": "\(draft.actor)", "action": "\(draft.action.rawValue)",
                "reason": "\(draft.rejection ?? "")",
            ])
        do {
            try await store.recordRejected(audit: draft)
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
    public func catchUp() async throws(StoreError) -> Bool {
        guard let stored = try await store.latestVersion(), stored > table.version,
            let fresh = try await store.latest(), fresh.version > table.version
        else { return false }
        logger.notice(
            "route table reloaded: changed by another process",
            metadata: [
                "from": "\(table.version)", "to": "\(fresh.version)", "store": "\(store.location)",
            ])
        table = fresh
        await publish()
        return true
    }

    /// The config file's routing as edited while the process runs (SIGHUP):
    /// merged into the store by the rule start-up follows (``RouteSeeding``:
    /// an edit becomes a new version audited by "config", on top of whatever
    /// changes operators made since), then served. Connections and requests
    /// in flight are untouched: they read whichever table was published last.
    /// - Returns: the version now served, or nil when the edit changed nothing in force.
    @discardableResult
    public func reload(configTable: RouteTable) async throws(StoreError) -> Int? {
        let seeded = try await store.seed(from: configTable, configDigest: Self.configDigest(of: configTable), at: clock())
        guard seeded.version > table.version else { return nil }
        logger.notice(
            "route table reloaded from the config file",
            metadata: [
                "from": "\(table.version)", "to": "\(seeded.version)", "store": "\(store.location)",
            ])
        table = seeded
        await publish()
        return seeded.version
    }

    /// Takes up each version the store announces (another replica's commit) as it comes, until the
    /// announcements end or the task is cancelled. The periodic look (``watchStore(every:)``) still
    /// runs beside it: an announcement can be lost, a look cannot.
    public func followAnnouncements() async {
        guard let announcements = store.announcements() else { return }
        for await version in announcements {
            if Task.isCancelled { return }
            // Versions this authority already serves need no read.
            if let version, version <= table.version { continue }
            do {
                try await catchUp()
            } catch {
                logger.warning(
                    "cannot read the announced route table; the periodic look will retry",
                    metadata: ["version": "\(version.map(String.init) ?? "?")", "error": "\(error)"])
            }
        }
    }

    /// Looks for another process's changes every `interval` until the task is
    /// cancelled, so that a process that only serves traffic (no change comes
    /// through it) still serves the table in force. A failing store is logged
    /// when it starts failing and when it recovers, not on every look.
    /// - Parameter interval: how often; the store's own ``RouteStore/lookInterval`` when nil.
    public func watchStore(every interval: Duration? = nil) async {
        let interval = interval ?? store.lookInterval
        var watch = RouteStoreWatch()
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            let outcome: Result<Bool, StoreError>
            do {
                outcome = .success(try await catchUp())
            } catch {
                outcome = .failure(error)
            }
            switch watch.record(outcome) {
            case .nothing: break
            case .failing(let error):
                logger.error(
                    "cannot check the route store for changes by another process; serving the table as last read",
                    metadata: ["store": "\(store.location)", "error": "\(error)"])
            case .recovered:
                logger.notice(
                    "route store readable again; changes by another process are picked up",
                    metadata: ["store": "\(store.location)"])
            }
        }
    }

    // MARK: - Budget rules

    /// The latest spend per budget category (percent of its allocation, 95
    /// for 95%); routing follows at once if a rule fires or clears.
    public func updateBudget(percentSpent: [String: Decimal]) async {
        self.percentSpent = percentSpent
        await publish()
    }

    /// Publishes the table with the rules in force now, auditing and alerting on each rule that fired or cleared.
    private func publish() async {
        let now = BudgetRuleEvaluation.active(table.budgetRules, suspended: table.suspendedRules, percentSpent: percentSpent)
        let before = Set(activeRules.map(\.name))
        let after = Set(now.map(\.name))
        var transitions: [(rule: BudgetRoutingRule, fired: Bool, text: String)] = []
        for rule in now where !before.contains(rule.name) {
            transitions.append(
                (
                    rule, true,
                    "\(rule.name) fired: \(rule.category) at \(percentText(percentSpent[rule.category])) ≥ "
                        + "\(percentText(rule.atPercent)); \(rule.route) -> \(rule.sendTo)"
                        + (rule.exceptTargets.isEmpty ? "" : " except \(rule.exceptTargets.joined(separator: ", "))")
                ))
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
            transitions.append((rule, false, "\(rule.name) cleared: \(why); \(rule.route) back to its own policy"))
        }
        // The actor's state moves before the first wait, so a publish that runs meanwhile (another
        // replica's table arriving) starts from it instead of noting the same transition again.
        activeRules = now
        let at = clock()
        for transition in transitions { noteLocally(transition.rule, fired: transition.fired, text: transition.text, at: at) }
        // Recorded before the routing moves, as any change is; the store records each transition once for the fleet.
        for transition in transitions {
            await record(transition.rule, fired: transition.fired, text: transition.text, at: at)
        }
        // What is in force now, which a publish that ran during the waits may have moved on.
        live.publish(table, activeRules: activeRules)
    }

    private func record(_ rule: BudgetRoutingRule, fired: Bool, text: String, at: Date) async {
        do {
            let entry = try await store.recordRuleTransition(
                rule: rule.name, fired: fired,
                audit: RouteAuditDraft(at: at, actor: "budget-rule", action: fired ? .budgetRuleFired : .budgetRuleCleared, summary: text))
            if entry == nil {
                logger.info("budget rule change already recorded by another replica", metadata: ["rule": "\(rule.name)"])
            }
        } catch {
            logger.error("cannot record a budget rule change", metadata: ["rule": "\(rule.name)", "error": "\(error)"])
        }
    }

    private func noteLocally(_ rule: BudgetRoutingRule, fired: Bool, text: String, at: Date) {
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
