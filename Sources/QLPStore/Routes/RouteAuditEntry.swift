import Foundation
import QLPRouting

/// One line of the route audit log: who tried to change routing, what, from
/// which table version to which, why, and whether it took effect. Rejected
/// attempts are kept too, so the log shows what was tried as well as what won.
public struct RouteAuditEntry: Sendable, Equatable, Codable {
    /// What kind of action the entry records.
    public enum Action: String, Sendable, Equatable, Codable, CaseIterable {
        case setWeights = "set_weights"
        case drain
        case undrain
        case setFallback = "set_fallback"
        case setPolicy = "set_policy"
        case suspendRule = "suspend_rule"
        case resumeRule = "resume_rule"
        case undo
        /// The first table, from the config file.
        case seed
        /// The config file's routing changed between runs; its edit applied on top of the live table.
        case configEdit = "config_edit"
        case budgetRuleFired = "budget_rule_fired"
        case budgetRuleCleared = "budget_rule_cleared"
        /// Several changes committed as one version (a dashboard draft, POST /admin/changes).
        case batch

        /// The action a route change is recorded as.
        public init(_ change: RouteChange) {
            switch change {
            case .setWeights: self = .setWeights
            case .drain: self = .drain
            case .undrain: self = .undrain
            case .setFallback: self = .setFallback
            case .setPolicy: self = .setPolicy
            case .suspendRule(_, let suspended): self = suspended ? .suspendRule : .resumeRule
            case .restore: self = .undo
            // A batch of one is that change, so its audit line reads as the change alone would.
            case .batch(let parts): self = parts.count == 1 ? Action(parts[0]) : .batch
            }
        }
    }

    public enum Outcome: String, Sendable, Equatable, Codable {
        /// A new table version was committed.
        case applied
        /// Refused (stale version, invalid change); the table did not change.
        case rejected
        /// The gateway changed how it routes by itself (a budget rule fired or
        /// cleared) without a new table version.
        case automatic
    }

    /// Increasing with every entry; the audit log's order.
    public var id: Int
    public var at: Date
    /// Who: an operator's name, "config", "budget-rule", or an admin API token's
    /// name with the caller's X-QLP-Actor ("admin/alice").
    public var actor: String
    public var action: Action
    /// What changed, for people: "chat weights: gpt4 40→20, gpt35 40→60".
    public var summary: String
    /// The table version the change was made against (the current one for a rejection).
    public var fromVersion: Int
    /// The version committed; nil unless `outcome` is applied.
    public var toVersion: Int?
    public var outcome: Outcome
    /// Why, as the operator gave it.
    public var reason: String?
    /// Why it was refused, for a rejected entry.
    public var rejection: String?

    public init(
        id: Int, at: Date, actor: String, action: Action, summary: String, fromVersion: Int, toVersion: Int?,
        outcome: Outcome, reason: String?, rejection: String?
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.summary = summary
        self.fromVersion = fromVersion
        self.toVersion = toVersion
        self.outcome = outcome
        self.reason = reason
        self.rejection = rejection
    }
}

/// What a caller knows of an audit entry before the store writes it; the
/// store fills in the id and the versions, so they always agree with the tables it holds.
public struct RouteAuditDraft: Sendable, Equatable {
    public var at: Date
    public var actor: String
    public var action: RouteAuditEntry.Action
    public var summary: String
    public var reason: String?
    /// For a rejection: why it was refused.
    public var rejection: String?

    public init(
        at: Date = Date(), actor: String, action: RouteAuditEntry.Action, summary: String, reason: String? = nil,
        rejection: String? = nil
    ) {
        self.at = at
        self.actor = actor
        self.action = action
        self.summary = summary
        self.reason = reason
        self.rejection = rejection
    }
}
