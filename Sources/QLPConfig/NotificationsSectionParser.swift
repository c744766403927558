import Foundation
import QLPCore

/// The `notifications` section: the reminder interval and the sinks alerts
/// are sent to. Absent, nothing is sent; every sink is checked whole, so one
/// run names every bad value with its line.
enum NotificationsSectionParser {
    static let keys = ["reminder_interval", "sinks"]
    static let commonSinkKeys = ["name", "kind", "min_severity", "sources"]
    static let httpSinkKeys = ["url"]
    static let emailSinkKeys = ["smtp_url", "starttls", "username", "password", "from", "to"]

    static func parse(_ section: ConfigValue?, _ r: ConfigReader) -> NotificationSettings? {
        var settings = NotificationSettings()
        guard let section else { return settings }
        guard let map = r.mapping(section, allowed: keys) else { return nil }
        if let value = r.optional(map, "reminder_interval") { settings.reminderInterval = reminderInterval(value, r) }
        if let value = r.optional(map, "sinks"), let items = r.sequence(value) {
            var seen: [String: ConfigValue] = [:]
            for item in items {
                let (name, sink) = sink(item, r)
                guard let name else { continue }
                if let first = seen[name.text] {
                    r.fail(
                        name.value,
                        "a second sink named '\(name.text)' (the first is on line \(first.line ?? 0)); "
                            + "names must be unique: they key the delivery records")
                    continue
                }
                seen[name.text] = name.value
                if let sink { settings.sinks.append(sink) }
            }
        }
        return settings
    }

    /// "30m", "1h", or "off".
    static func reminderInterval(_ value: ConfigValue, _ r: ConfigReader) -> Duration? {
        guard let text = r.string(value)?.trimmingCharacters(in: .whitespaces) else { return NotificationSettings.defaultReminderInterval }
        // YAML 1.1 readers turn a bare off into false; Yams gives the text, but both spellings mean off.
        if ["off", "false", "no"].contains(text.lowercased()) { return nil }
        guard let duration = DurationText.parse(text) else {
            r.fail(value, "expected a duration such as 30m or 1h, or off, found '\(text.prefix(40))'")
            return NotificationSettings.defaultReminderInterval
        }
        if duration < .seconds(60) {
            r.fail(value, "must be at least 1m (or off): a reminder is for people, not a retry")
            return NotificationSettings.defaultReminderInterval
        }
        return duration
    }

    /// The sink's name (with its value, for the duplicate check) whenever it
    /// is readable, and the sink when all of it is.
    static func sink(_ item: ConfigValue, _ r: ConfigReader) -> (name: (text: String, value: ConfigValue)?, sink: NotificationSink?) {
        guard let map = r.mapping(item, allowed: commonSinkKeys + httpSinkKeys + emailSinkKeys) else { return (nil, nil) }
        let nameValue = r.required(map, "name")
        let name = nameValue.flatMap { value -> String? in
            guard let text = r.nonEmptyString(value)?.trimmingCharacters(in: .whitespaces) else { return nil }
            guard text.count <= 64, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                r.fail(
                    value,
                    "expected a short name of letters, digits, '-', '_' or '.' (it appears in logs and the "
                        + "delivery records), found '\(text.prefix(40))'")
                return nil
            }
            return text
        }
        var kind: NotificationSink.Kind?
        if let value = r.required(map, "kind") { kind = r.choice(value, NotificationSink.Kind.self) }
        var minSeverity = AlertSeverity.warning
        if let value = r.optional(map, "min_severity"), let text = r.string(value) {
            if let severity = AlertSeverity(name: text.trimmingCharacters(in: .whitespaces)) {
                minSeverity = severity
            } else {
                r.fail(value, "expected one of \(AlertSeverity.allCases.map(\.name).joined(separator: ", ")), found '\(text.prefix(40))'")
            }
        }
        var sources = Set(AlertSource.allCases)
        if let value = r.optional(map, "sources"), let items = r.sequence(value) {
            var chosen: Set<AlertSource> = []
            for entry in items {
                guard let text = r.nonEmptyString(entry)?.trimmingCharacters(in: .whitespaces) else { continue }
                guard let source = AlertSource(name: text) else {
                    r.fail(
                        entry,
                        "unknown alert source '\(text.prefix(40))'; expected one of "
                            + AlertSource.allCases.map(\.name).joined(separator: ", "))
                    continue
                }
                chosen.insert(source)
            }
            if items.isEmpty { r.fail(value, "an empty list would send nothing; leave sources out to send every source") }
            sources = chosen
        }
        let named = name.flatMap { text in nameValue.map { (text: text, value: $0) } }
        guard let kind else { return (named, nil) }
        let destination: NotificationSink.Destination?
        switch kind {
        case .webhook, .slack, .teams:
            for key in emailSinkKeys {
                if let value = map[key] { r.fail(value, "is for email sinks; a \(kind.rawValue) sink takes url") }
            }
            destination = httpURL(map, r).map { url in
                switch kind {
                case .webhook: .webhook(url: url)
                case .slack: .slack(url: url)
                default: .teams(url: url)
                }
            }
        case .email:
            if let value = map["url"] { r.fail(value, "is for webhook, slack and teams sinks; an email sink takes smtp_url") }
            destination = email(map, r).map { .email($0) }
        }
        guard let name, let destination else { return (named, nil) }
        return (named, NotificationSink(name: name, destination: destination, minSeverity: minSeverity, sources: sources))
    }

    /// The webhook URL: https (http to loopback only), any host, a secret.
    static func httpURL(_ map: ConfigMapping, _ r: ConfigReader) -> Secret? {
        guard let value = r.required(map, "url") else { return nil }
        return r.endpoint(value, .alertSink, example: "https://hooks.example.com/qlp", secret: true).map(Secret.init)
    }

    static func email(_ map: ConfigMapping, _ r: ConfigReader) -> EmailSinkSettings? {
        var server: (url: String, host: String, port: Int?, implicitTLS: Bool)?
        if let value = r.required(map, "smtp_url") { server = smtpURL(value, r) }
        var security: EmailSinkSettings.Security?
        if let server {
            let loopback = LoopbackHost.contains(server.host)
            if server.implicitTLS {
                security = .implicitTLS
                if let value = map["starttls"] {
                    r.fail(value, "applies to smtp:// only: smtps:// is TLS from the first byte; leave starttls out")
                }
            } else {
                var policy: EmailSinkSettings.StartTLSPolicy = loopback ? .optional : .required
                if let value = r.optional(map, "starttls"), let chosen = r.choice(value, EmailSinkSettings.StartTLSPolicy.self) {
                    policy = chosen
                    if chosen != .required, !loopback {
                        r.fail(
                            value,
                            "must be required for \(server.host), which is not loopback: otherwise the messages "
                                + "(and any password) may cross the network in the clear; use smtps:// or starttls: required")
                    }
                }
                security = .startTLS(policy)
            }
        }
        let username = r.optional(map, "username").flatMap { r.nonEmptyString($0)?.trimmingCharacters(in: .whitespaces) }
        let password = r.optional(map, "password").flatMap(r.secretOrVaultReference).flatMap { $0.isEmpty ? nil : $0 }
        if password != nil, username == nil, let value = map["password"] {
            r.fail(value, "a password needs a username beside it")
        }
        let from = r.required(map, "from").flatMap { address($0, r) }
        var to: [String]?
        if let value = r.required(map, "to") {
            if let items = r.sequence(value) {
                let addresses = items.compactMap { address($0, r) }
                if items.isEmpty { r.fail(value, "needs at least one address") }
                if addresses.count == items.count, !addresses.isEmpty { to = addresses }
            }
        }
        guard let server, let security, let from, let to else { return nil }
        return EmailSinkSettings(
            smtpURL: server.url, host: server.host, port: server.port, security: security,
            username: username, password: password, from: from, to: to)
    }

    /// smtp://host[:port] or smtps://host[:port], nothing after the authority.
    static func smtpURL(_ value: ConfigValue, _ r: ConfigReader) -> (url: String, host: String, port: Int?, implicitTLS: Bool)? {
        guard let text = r.nonEmptyString(value)?.trimmingCharacters(in: .whitespaces) else { return nil }
        let lower = text.lowercased()
        let implicitTLS: Bool
        if lower.hasPrefix("smtps://") {
            implicitTLS = true
        } else if lower.hasPrefix("smtp://") {
            implicitTLS = false
        } else {
            r.fail(value, "expected smtp://host[:port] or smtps://host[:port], found '\(ConfigReader.schemeAndHost(text))'")
            return nil
        }
        guard let components = URLComponents(string: text), let rawHost = components.host, !rawHost.isEmpty else {
            r.fail(value, "expected a URL with a host name, such as smtps://smtp.example.com:465")
            return nil
        }
        guard components.user == nil, components.password == nil else {
            r.fail(value, "must not carry a user name or password: use the username and password keys, so the password is never shown")
            return nil
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil else {
            r.fail(value, "expected only scheme, host and port, such as smtps://smtp.example.com:465")
            return nil
        }
        if let port = components.port, !(1...65535).contains(port) {
            r.fail(value, "the port must be from 1 to 65535, found \(port)")
            return nil
        }
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") ? String(rawHost.dropFirst().dropLast()) : rawHost
        return (text, host, components.port, implicitTLS)
    }

    /// A bare address (no display name): one @, something either side, and
    /// nothing that could end a mail header line or start another field.
    static func address(_ value: ConfigValue, _ r: ConfigReader) -> String? {
        guard let text = r.nonEmptyString(value)?.trimmingCharacters(in: .whitespaces) else { return nil }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        let forbidden = text.unicodeScalars.contains { scalar in
            scalar.value < 0x21 || scalar.value == 0x7F || "<>,;:\"()[]\\".unicodeScalars.contains(scalar)
        }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !forbidden
        else {
            r.fail(value, "expected a plain email address such as alerts@example.com, found '\(text.prefix(60))'")
            return nil
        }
        return text
    }
}
