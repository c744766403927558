import Foundation
import QLPCore

/// A Teams incoming-webhook message: a `message` with one Adaptive Card
/// attachment. Card version 1.4, the highest Teams renders everywhere; the
/// Workflows (Power Automate) "post to a channel when a webhook request is
/// received" template takes the same body.
public enum TeamsMessage {
    public static let cardContentType = "application/vnd.microsoft.card.adaptive"
    public static let cardVersion = "1.4"

    public static func render(_ facts: AlertFacts) -> [UInt8] {
        let color: String
        switch (facts.transition, facts.severity) {
        case (.cleared, _): color = "Good"
        case (_, .critical): color = "Attention"
        case (_, .warning): color = "Warning"
        default: color = "Accent"
        }
        var body: [[String: Any]] = [
            [
                "type": "TextBlock", "text": AlertText.oneLine(facts.title), "weight": "Bolder", "size": "Medium",
                "color": color, "wrap": true,
            ]
        ]
        if facts.test {
            body.append([
                "type": "TextBlock", "wrap": true,
                "text": "This is a test from qlp: the sink is set up and Teams accepted the message. No alert is open.",
            ])
        } else if facts.details != facts.summary {
            body.append(["type": "TextBlock", "text": facts.details, "wrap": true])
        }
        body.append(["type": "FactSet", "facts": facts.factList.map { ["title": $0.label, "value": $0.value] }])
        let card: [String: Any] = [
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": cardVersion,
            "body": body,
        ]
        return JSONBody.encode([
            "type": "message",
            "summary": AlertText.oneLine(facts.title),
            "attachments": [["contentType": cardContentType, "contentUrl": NSNull(), "content": card]],
        ])
    }
}
