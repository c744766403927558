import QLPCore
import QLPStore

/// One transition rendered for one sink, as the outbox keeps it: the body
/// and the headers that go with it, and nothing secret.
public enum NotificationRendering {
    /// The header that carries an email's subject through the outbox.
    static let subjectHeader = "Subject"

    public static func draft(_ transition: AlertTransition, for sink: NotificationSink, test: Bool = false) -> OutboxDraft {
        let facts = AlertFacts(transition, test: test)
        let body: [UInt8]
        var headers: [OutboxHeader] = []
        switch sink.kind {
        case .webhook: body = WebhookPayload.render(facts)
        case .slack: body = SlackMessage.render(facts)
        case .teams: body = TeamsMessage.render(facts)
        case .email:
            let message = EmailMessage.render(facts)
            body = Array(message.body.utf8)
            headers.append(OutboxHeader(subjectHeader, message.subject))
        }
        return OutboxDraft(
            sink: sink.name, identity: transition.identity, idempotencyKey: facts.idempotencyKey,
            alertKey: transition.alert.key, severity: transition.alert.severity,
            transitionKind: transition.kind, body: body, headers: headers)
    }
}
