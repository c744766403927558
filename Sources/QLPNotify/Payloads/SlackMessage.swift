import Foundation
import QLPCore

/// A Slack incoming-webhook message: `text` for notifications and clients
/// that show no blocks, and Block Kit `blocks` (header, section, context)
/// for the channel. Alert text is sent as plain text where Slack allows it,
/// and escaped where it is mrkdwn, so a cost-centre name cannot ping @channel.
public enum SlackMessage {
    /// Slack's limits: a header's text 150 characters, a section's 3000.
    static let headerLimit = 150
    static let sectionLimit = 3000

    public static func render(_ facts: AlertFacts) -> [UInt8] {
        let header = facts.test ? "qlp test message" : "\(icon(facts)) \(facts.severity.name.uppercased()) \(facts.transitionPhrase)"
        let summary =
            facts.test
            ? "This is a test from qlp: the sink is set up and Slack accepted the message. No alert is open."
            : escape(AlertText.oneLine(facts.summary, limit: 300))
        var section = "*\(summary)*"
        if !facts.test, facts.details != facts.summary {
            section += "\n" + escape(String(facts.details.prefix(sectionLimit - section.count - 10)))
        }
        let context = facts.factList.map { "\($0.label): \(escape($0.value))" }.joined(separator: "  |  ")
        return JSONBody.encode([
            "text": facts.title,
            "blocks": [
                ["type": "header", "text": ["type": "plain_text", "text": AlertText.oneLine(header, limit: headerLimit), "emoji": true]],
                ["type": "section", "text": ["type": "mrkdwn", "text": section]],
                ["type": "context", "elements": [["type": "mrkdwn", "text": context]]],
            ],
        ])
    }

    static func icon(_ facts: AlertFacts) -> String {
        if facts.transition == .cleared { return ":white_check_mark:" }
        switch facts.severity {
        case .critical: return ":rotating_light:"
        case .warning: return ":warning:"
        case .info: return ":information_source:"
        }
    }

    /// Slack's three control characters in mrkdwn: &, < and >.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
