import Foundation
import QLPCanvas
import QLPCore

/// The selected key in words, under the Keys view's table: where it comes
/// from, its budget and when it resets, its rate limits against the last
/// minute, the routes it may use and where its money went. Everything a row
/// has no room for, and what a row only colours ("refused until …").
struct KeyDetail {
    var key: KeyActivity
    var currency: Currency
    /// `budget.monthly.alerts`, so the budget line takes the colour the USED cell has.
    var thresholds: [Decimal]

    /// One thing about the key, in phrases that are never split: a line that
    /// is too long continues on the next, indented, between two phrases.
    struct Line: Equatable {
        var phrases: [String]
        var role: StyleRole
    }

    /// The screen rows for `width` cells.
    func rows(width: Int, context: RenderContext) -> [(text: String, role: StyleRole)] {
        lines(context: context).flatMap { line in
            Self.flow(line.phrases, separator: " \(context.glyphs.separator) ", width: width).map { ($0, line.role) }
        }
    }

    func lines(context: RenderContext) -> [Line] {
        let standing = KeyStanding(key)
        return [identity(context), budget(standing, format: context.format), rates(standing), routes(format: context.format)]
    }

    func identity(_ context: RenderContext) -> Line {
        let origin =
            switch key.origin {
            case .store: "key store"
            case .config: "config: gateway.client_key_sha256"
            }
        var phrases = ["\(key.name) (\(origin))", key.state == .active ? "active" : "\(key.state.rawValue): refused (401)"]
        if let expires = key.expiresAt {
            let interval = expires.timeIntervalSince(context.now)
            phrases.append(
                interval > 0
                    ? "expires \(Self.when(expires, context.format)) (in \(context.format.age(interval)))"
                    : "expired \(Self.when(expires, context.format)) (\(context.format.age(-interval)) ago)")
        } else {
            phrases.append("never expires")
        }
        return Line(phrases: phrases, role: key.state == .active ? .accent : .muted)
    }

    func budget(_ standing: KeyStanding, format f: DisplayFormat) -> Line {
        let spent = f.money(key.spent, currency)
        guard let budget = key.limits.budget else {
            return Line(phrases: ["no budget", "\(spent) spent this month"], role: key.state == .active ? .normal : .muted)
        }
        var phrases = [
            "budget \(f.money(budget.amount, currency)) \(Self.period(budget.period)): \(spent) spent"
                + (standing.budgetFraction.map { " (\(KeysView.percent($0)))" } ?? "")
        ]
        if standing.overBudget {
            phrases.append(key.periodResets.map { "refused until it resets \(Self.when($0, f))" } ?? "refused until the period resets")
        } else if let resets = key.periodResets {
            phrases.append("resets \(Self.when(resets, f))")
        }
        let role: StyleRole =
            if key.state != .active {
                .muted
            } else if standing.overBudget {
                .critical
            } else {
                standing.budgetFraction.map { ThresholdStyle.role(forFraction: $0, thresholds: thresholds, quiet: .normal) } ?? .normal
            }
        return Line(phrases: phrases, role: role)
    }

    func rates(_ standing: KeyStanding) -> Line {
        let n = { (count: Int) in MetricUnitFormat.number(Double(count), decimals: 0) }
        let limits = key.limits
        var phrases = [
            "last minute: "
                + (limits.requestsPerMinute.map { "\(n(key.requestsLastMinute)) of \(n($0)) requests" }
                    ?? "\(n(key.requestsLastMinute)) requests (no limit)"),
            limits.tokensPerMinute.map { "\(n(key.tokensLastMinute)) of \(n($0)) tokens" }
                ?? "\(n(key.tokensLastMinute)) tokens (no limit)",
        ]
        if standing.atRateLimit { phrases.append("at the limit: refused (429) until the minute frees") }
        if key.refused > 0 { phrases.append("\(n(key.refused)) refused since the gateway started") }
        let role: StyleRole = key.state != .active ? .muted : standing.atRateLimit ? .critical : .normal
        return Line(phrases: phrases, role: role)
    }

    func routes(format f: DisplayFormat) -> Line {
        let allowed =
            key.limits.routes.map { $0.isEmpty ? "no route allowed" : "routes allowed: " + $0.joined(separator: ", ") }
            ?? "every route allowed"
        let top =
            key.topRoutes.isEmpty
            ? "no requests this period"
            : "top "
                + key.topRoutes.prefix(3).map { "\($0.route) \(f.money($0.cost, currency)) (\(CompactCount.string($0.requests)) req)" }
                .joined(separator: ", ")
        return Line(phrases: [allowed, top], role: key.state == .active ? .normal : .muted)
    }

    /// Phrases joined by `separator` while they fit `width`; the rest on
    /// further rows, indented two cells. A phrase wider than a row is wrapped at its words.
    static func flow(_ phrases: [String], separator: String, width: Int) -> [String] {
        var rows: [String] = []
        var current = ""
        for phrase in phrases {
            let joined = current.isEmpty ? phrase : current + separator + phrase
            if DisplayWidth.of(joined) <= width {
                current = joined
                continue
            }
            if !current.isEmpty { rows.append(current) }
            let pieces = DisplayWidth.wrap(phrase, to: max(1, width - 2))
            for (n, piece) in pieces.enumerated() {
                let text = (rows.isEmpty && n == 0 ? "" : "  ") + piece
                if n == pieces.count - 1 { current = text } else { rows.append(text) }
            }
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    /// "27 Dec 2026 17:00 UTC".
    static func when(_ instant: Date, _ f: DisplayFormat) -> String {
        "\(f.date(CivilDate(instant, in: f.timeZone))) \(f.time(instant).prefix(5)) \(f.zone(instant))"
    }

    static func period(_ period: KeyBudget.Period) -> String {
        switch period {
        case .day: "a day"
        case .week: "a week"
        case .month: "a month"
        }
    }
}
