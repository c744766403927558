import Foundation
import QLPCore

/// An alert as an email: a subject that says it all in an inbox list, and a
/// plain-text body with the same facts as every other sink. Rendering only;
/// sending is the ``AlertMailer``'s.
public struct EmailMessage: Sendable, Equatable {
    public var subject: String
    public var body: String

    public init(subject: String, body: String) {
        self.subject = subject
        self.body = body
    }

    public static func render(_ facts: AlertFacts) -> EmailMessage {
        // The subject is one line whatever the alert's text holds (a CR LF would start a new header).
        let subject = AlertText.oneLine(facts.title, limit: 200)
        var lines: [String] = []
        if facts.test {
            lines.append("This is a test message from qlp: the email sink is set up and the server accepted it.")
            lines.append("No alert is open.")
        } else {
            lines.append(AlertText.oneLine(facts.summary, limit: 1000))
            if facts.details != facts.summary {
                lines.append("")
                lines.append(facts.details)
            }
        }
        lines.append("")
        let width = facts.factList.map(\.label.count).max() ?? 0
        for fact in facts.factList {
            lines.append(fact.label + ":" + String(repeating: " ", count: width - fact.label.count + 1) + fact.value)
        }
        lines.append("")
        lines.append("-- ")
        lines.append("Sent by qlp. Message key \(facts.idempotencyKey).")
        // CR LF line ends, as mail wants; lone CRs or LFs in the alert text are normalised too.
        let text = lines.joined(separator: "\n").replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return EmailMessage(subject: subject, body: text.replacingOccurrences(of: "\n", with: "\r\n"))
    }
}
