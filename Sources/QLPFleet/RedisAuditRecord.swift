import Foundation
import QLPStore

/// An audit entry as it is stored in Redis: JSON that the Lua scripts can
/// read and complete (id, versions, outcome), with the time as seconds since
/// 1970 so that any reader (redis-cli, another tool) sees a plain number.
struct RedisAuditRecord: Codable, Sendable {
    var id: Int?
    var at: Double
    var actor: String
    var action: String
    var summary: String
    var fromVersion: Int?
    var toVersion: Int?
    var outcome: String?
    var reason: String?
    var rejection: String?

    enum CodingKeys: String, CodingKey {
        case id, at, actor, action, summary, outcome, reason, rejection
        case fromVersion = "from_version"
        case toVersion = "to_version"
    }

    init(draft: RouteAuditDraft) {
        at = draft.at.timeIntervalSince1970
        actor = draft.actor
        action = draft.action.rawValue
        summary = draft.summary
        reason = draft.reason
        rejection = draft.rejection
    }

    var json: String {
        // Plain strings, numbers and optionals: encoding cannot fail.
        (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The entry a script stored, or why it cannot be read (named after `location`).
    static func entry(from text: String, location: String) throws(StoreError) -> RouteAuditEntry {
        let record: RedisAuditRecord
        do {
            record = try JSONDecoder().decode(RedisAuditRecord.self, from: Data(text.utf8))
        } catch {
            throw StoreError(path: location, detail: "an audit entry is unreadable (\(error)): \(text.prefix(120))")
        }
        guard let id = record.id, let from = record.fromVersion, let outcomeText = record.outcome,
            let action = RouteAuditEntry.Action(rawValue: record.action),
            let outcome = RouteAuditEntry.Outcome(rawValue: outcomeText)
        else {
            throw StoreError(
                path: location,
                detail: "audit entry \(record.id.map(String.init) ?? "?") has an unknown action or outcome "
                    + "(\(record.action), \(record.outcome ?? "none")); written by a newer qlp?")
        }
        return RouteAuditEntry(
            id: id, at: Date(timeIntervalSince1970: record.at), actor: record.actor, action: action,
            summary: record.summary, fromVersion: from, toVersion: record.toVersion, outcome: outcome,
            reason: record.reason, rejection: record.rejection)
    }
}
