import Foundation
import QLPCore

/// What every message about one transition says, worked out once so that the
/// webhook body, Slack, Teams and email cannot disagree on a fact.
public struct AlertFacts: Sendable, Equatable {
    public var id: String
    public var transition: AlertTransition.Kind
    public var severity: AlertSeverity
    public var source: AlertSource
    /// The headline, or the text when there is none.
    public var summary: String
    public var details: String
    public var raisedAt: Date
    public var clearedAt: Date?
    /// When qlp produced the message: the transition's time, so every retry
    /// of it is byte-for-byte the same body.
    public var sentAt: Date
    public var reminder: Int
    public var idempotencyKey: String
    /// A message from `qlp alerts test`, not about a real condition.
    public var test: Bool

    public init(_ transition: AlertTransition, test: Bool = false) {
        id = transition.alert.key
        self.transition = transition.kind
        severity = transition.alert.severity
        source = transition.alert.source
        summary = transition.alert.headline.flatMap { $0.isEmpty ? nil : $0 } ?? transition.alert.text
        details = transition.alert.text
        raisedAt = transition.raisedAt
        clearedAt = transition.clearedAt
        sentAt = transition.at
        reminder = transition.reminder
        idempotencyKey = IdempotencyKey.of(transition)
        self.test = test
    }

    /// "raised", "cleared", "reminder 2".
    public var transitionPhrase: String {
        transition == .reminder ? "reminder \(reminder)" : transition.name
    }

    /// "[qlp CRITICAL] raised: monthly budget past 95%": the email subject,
    /// and the first line of every chat message.
    public var title: String {
        let prefix = test ? "[qlp TEST] " : "[qlp \(severity.name.uppercased())] "
        return prefix + "\(transitionPhrase): \(AlertText.oneLine(summary))"
    }

    /// The facts as label/value pairs, in the order every renderer shows them.
    public var factList: [(label: String, value: String)] {
        var facts: [(String, String)] = [
            ("Transition", transitionPhrase),
            ("Severity", severity.name),
            ("Source", source.name),
            ("Alert", id),
            ("Raised", AlertTimestamp.format(raisedAt)),
        ]
        if let clearedAt { facts.append(("Cleared", AlertTimestamp.format(clearedAt))) }
        return facts.map { (label: $0.0, value: $0.1) }
    }
}

/// Dates as every message writes them: RFC 3339 in UTC, to the second.
public enum AlertTimestamp {
    public static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String {
            let v = n ?? 0
            return v < 10 ? "0\(v)" : "\(v)"
        }
        let year = String(c.year ?? 1970)
        return "\(year)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))Z"
    }
}

/// Text from alerts, made fit for a one-line place (a subject, a header).
enum AlertText {
    /// Line breaks and other control characters become spaces: a subject
    /// line with a CR LF in it would start a new mail header.
    static func oneLine(_ text: String, limit: Int = 150) -> String {
        var out = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" ? " " : scalar
                }))
        out = out.trimmingCharacters(in: .whitespaces)
        if out.count > limit { out = String(out.prefix(limit - 1)) + "…" }
        return out
    }
}
