import Foundation
import QLPCore

/// The generic webhook's body: one versioned JSON object per transition
/// (schema `qlp.alert.v1`, docs/schemas/qlp-alert-v1.schema.json). Fields are
/// only ever added within a version; a change of meaning is a new schema name.
public enum WebhookPayload {
    public static let schema = "qlp.alert.v1"

    public static func render(_ facts: AlertFacts) -> [UInt8] {
        JSONBody.encode([
            "schema": schema,
            "id": facts.id,
            "transition": facts.transition.name,
            "severity": facts.severity.name,
            "source": facts.source.name,
            "summary": facts.summary,
            "details": facts.details,
            "raised_at": AlertTimestamp.format(facts.raisedAt),
            "cleared_at": facts.clearedAt.map { AlertTimestamp.format($0) as Any } ?? NSNull(),
            "sent_at": AlertTimestamp.format(facts.sentAt),
            "reminder": facts.reminder,
            "idempotency_key": facts.idempotencyKey,
            "test": facts.test,
        ])
    }
}
