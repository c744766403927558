import Foundation
import QLPCore

/// Keys as `qlp keys` prints them: a table, JSON, one key's facts, and the
/// line that sums up a key's limits. Never the key, and never the whole
/// digest (`show` gives its first 8 hex digits as a fingerprint, enough to
/// tell two keys apart and too little to stand for one).
struct KeysText {
    /// The budget's billing time zone: budget periods and --expires days are its days.
    var billingTimeZone: TimeZone
    /// The operator's zone, for creation and revocation times.
    var localTimeZone: TimeZone = .current
    var currency: Currency
    /// "GBP " for "£" where the terminal is not UTF-8.
    var money: MoneyFormat = .standard

    static func state(of key: VirtualKey, at now: Date) -> KeyActivity.State {
        key.revokedAt != nil ? .revoked : key.isActive(at: now) ? .active : .expired
    }

    // MARK: - Table

    static let columns = ["NAME", "STATE", "CREATED", "EXPIRES", "RPM", "TPM", "BUDGET", "ROUTES"]

    /// One row per key under a header, columns two spaces apart. A config
    /// key's CREATED is "(config)": it was never created here, and cannot be
    /// revoked here either.
    func table(_ keys: [VirtualKey], now: Date) -> String {
        let rows =
            [Self.columns]
            + keys.map { key in
                [
                    key.name, Self.state(of: key, at: now).rawValue,
                    key.origin == .config ? "(config)" : CivilDate(key.createdAt, in: localTimeZone).iso8601,
                    key.expiresAt.map { lastDay(before: $0).iso8601 } ?? "-",
                    key.limits.requestsPerMinute.map(String.init) ?? "-", key.limits.tokensPerMinute.map(String.init) ?? "-",
                    key.limits.budget.map { budget($0, separator: "/") } ?? "-",
                    key.limits.routes.map { $0.joined(separator: ",") } ?? "all",
                ]
            }
        var widths = Array(repeating: 0, count: Self.columns.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    // MARK: - JSON

    /// One key as JSON: the table's facts with exact values (instants in UTC,
    /// the budget amount as its decimal text), keys sorted, nulls spelled out.
    struct JSONKey: Encodable {
        struct Budget: Encodable {
            var amount: String
            var currency: String
            var period: String
        }

        var name: String
        var origin: String
        var state: String
        var createdAt: String?
        var expiresAt: String?
        var revokedAt: String?
        var requestsPerMinute: Int?
        var tokensPerMinute: Int?
        var budget: Budget?
        var routes: [String]?

        enum CodingKeys: String, CodingKey {
            case name, origin, state, budget, routes
            case createdAt = "created_at"
            case expiresAt = "expires_at"
            case revokedAt = "revoked_at"
            case requestsPerMinute = "requests_per_minute"
            case tokensPerMinute = "tokens_per_minute"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(origin, forKey: .origin)
            try container.encode(state, forKey: .state)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(expiresAt, forKey: .expiresAt)
            try container.encode(revokedAt, forKey: .revokedAt)
            try container.encode(requestsPerMinute, forKey: .requestsPerMinute)
            try container.encode(tokensPerMinute, forKey: .tokensPerMinute)
            try container.encode(budget, forKey: .budget)
            try container.encode(routes, forKey: .routes)
        }
    }

    func json(_ keys: [VirtualKey], now: Date) throws -> String {
        let objects = keys.map { key in
            JSONKey(
                name: key.name, origin: key.origin.rawValue, state: Self.state(of: key, at: now).rawValue,
                createdAt: key.origin == .config ? nil : Self.instant(key.createdAt),
                expiresAt: key.expiresAt.map(Self.instant), revokedAt: key.revokedAt.map(Self.instant),
                requestsPerMinute: key.limits.requestsPerMinute, tokensPerMinute: key.limits.tokensPerMinute,
                budget: key.limits.budget.map {
                    JSONKey.Budget(amount: Self.plain($0.amount), currency: currency.code, period: $0.period.rawValue)
                },
                routes: key.limits.routes)
        }
        // The encoder's pretty form of no keys is "[\n\n]".
        guard !objects.isEmpty else { return "[]\n" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(objects), as: UTF8.self) + "\n"
    }

    // MARK: - One key

    /// `qlp keys show`: the facts one per line.
    func details(_ key: VirtualKey, now: Date, configName: String?, storePath: String) -> String {
        let limits = key.limits
        var lines: [(String, String)] = [
            ("name", key.name),
            (
                "origin",
                key.origin == .config
                    ? "config: gateway.client_key_sha256 in \(configName ?? "the config") (remove it there to revoke it)"
                    : "qlp keys: \(storePath)"
            ),
            ("state", Self.state(of: key, at: now).rawValue),
            ("fingerprint", "\(key.digest.prefix(8)) (the first 8 hex digits of the key's SHA-256)"),
        ]
        if key.origin == .store { lines.append(("created", time(key.createdAt))) }
        lines.append(
            (
                "expires",
                key.expiresAt.map {
                    "after \(lastDay(before: $0)) in \(billingTimeZone.identifier) (refused from \(time($0)))"
                } ?? "never"
            ))
        if let revoked = key.revokedAt { lines.append(("revoked", time(revoked))) }
        lines += [
            ("requests/min", limits.requestsPerMinute.map(String.init) ?? "no limit"),
            ("tokens/min", limits.tokensPerMinute.map(String.init) ?? "no limit"),
            (
                "budget",
                limits.budget.map { "\(budget($0, separator: " per ")) (\($0.period.rawValue)s in \(billingTimeZone.identifier))" }
                    ?? "no limit"
            ),
            ("routes", limits.routes.map { $0.joined(separator: ", ") } ?? "all"),
        ]
        let width = lines.map { $0.0.count }.max() ?? 0
        return lines.map { label, value in (label + ":").padding(toLength: width + 2, withPad: " ", startingAt: 0) + value }
            .joined(separator: "\n") + "\n"
    }

    /// The limits in a few words, for what `create` and `rotate` say.
    func limitsSummary(_ key: VirtualKey) -> String {
        let limits = key.limits
        var parts: [String] = []
        if let amount = limits.budget { parts.append("budget \(budget(amount, separator: "/"))") }
        if let rpm = limits.requestsPerMinute { parts.append("\(rpm) requests/min") }
        if let tpm = limits.tokensPerMinute { parts.append("\(tpm) tokens/min") }
        if let routes = limits.routes { parts.append("routes \(routes.joined(separator: ", "))") }
        if let expires = key.expiresAt { parts.append("works through \(lastDay(before: expires)) (\(billingTimeZone.identifier))") }
        return parts.isEmpty ? "no limits" : parts.joined(separator: "; ")
    }

    // MARK: - Pieces

    /// "£20.00/month"; an amount with more than two decimals keeps them all ("£0.005/day"), as it is enforced.
    func budget(_ budget: KeyBudget, separator: String) -> String {
        let plain = Self.plain(budget.amount)
        let decimals = plain.split(separator: ".").dropFirst().first?.count ?? 0
        var format = money
        format.fractionDigits = max(2, decimals)
        return format.string(budget.amount, currency: currency) + separator + budget.period.rawValue
    }

    /// The last day a key works, for the instant it stops (the next day's start).
    func lastDay(before instant: Date) -> CivilDate {
        CivilDate(instant.addingTimeInterval(-1), in: billingTimeZone)
    }

    /// "2026-12-05 22:56:06 GMT" in the operator's zone.
    func time(_ instant: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = localTimeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss zzz"
        return formatter.string(from: instant)
    }

    static func instant(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static func plain(_ amount: Decimal) -> String {
        amount.description
    }
}
