import Foundation
import QLPConfig
import QLPCore
import Testing

/// The config text of the budget fixture plus a `notifications` section made of `lines`.
private func notificationsYAML(_ lines: [String]) -> String {
    ConfigFixture.budget + (["notifications:"] + lines).joined(separator: "\n") + "\n"
}

/// The 1-based file line of `lines[index]` in `notificationsYAML(lines)`.
private func line(_ index: Int) -> Int {
    ConfigFixture.budget.split(separator: "\n", omittingEmptySubsequences: false).count + 1 + index
}

private func parse(_ lines: [String], environment: [String: String] = [:]) -> Result<QLPConfiguration, ConfigErrors> {
    do {
        return .success(
            try ConfigParser(environment: environment, requireAzure: false)
                .parse(yaml: notificationsYAML(lines), file: "n.yaml"))
    } catch {
        return .failure(error)
    }
}

private func errors(_ lines: [String], environment: [String: String] = [:]) -> [ConfigError] {
    if case .failure(let failure) = parse(lines, environment: environment) { return failure.errors }
    return []
}

private let slackURL = "https://hooks.slack.com/services/EXAMPLE/EXAMPLE/XXXXSECRETXXXX"

@Suite("Config: notifications")
struct NotificationsConfigTests {
    @Test func withoutTheSectionThereAreNoSinksAndRemindersAreHourly() throws {
        let config = try ConfigParser(environment: [:], requireAzure: false).parse(yaml: ConfigFixture.budget, file: "n.yaml")
        #expect(config.notifications.sinks.isEmpty)
        #expect(config.notifications.reminderInterval == .seconds(3600))
    }

    @Test func everyKeyOfEveryKindIsRead() throws {
        let config = try parse(
            [
                "  reminder_interval: 30m",
                "  sinks:",
                "    - name: oncall-webhook",
                "      kind: webhook",
                "      url: ${QLP_ALERT_WEBHOOK}",
                "      min_severity: critical",
                "      sources: [budget, cost_data]",
                "    - name: chat",
                "      kind: slack",
                "      url: \(slackURL)",
                "    - name: teams",
                "      kind: teams",
                "      url: http://127.0.0.1:9000/hook",
                "      min_severity: info",
                "    - name: finance-mail",
                "      kind: email",
                "      smtp_url: smtps://smtp.example.com:465",
                "      username: alerts@example.com",
                "      password: ${QLP_SMTP_PASSWORD}",
                "      from: qlp@example.com",
                "      to: [finance@example.com, cfo@example.com]",
                "    - name: local-mail",
                "      kind: email",
                "      smtp_url: smtp://localhost:2525",
                "      from: qlp@example.com",
                "      to: [ops@example.com]",
            ], environment: ["QLP_ALERT_WEBHOOK": "https://alerts.example.com/in?token=abc", "QLP_SMTP_PASSWORD": "pw"]
        ).get()
        let n = config.notifications
        #expect(n.reminderInterval == .seconds(1800))
        #expect(n.sinks.map(\.name) == ["oncall-webhook", "chat", "teams", "finance-mail", "local-mail"])
        #expect(n.sinks.map(\.kind) == [.webhook, .slack, .teams, .email, .email])
        let hook = try #require(n.sink(named: "oncall-webhook"))
        #expect(hook.url?.reveal() == "https://alerts.example.com/in?token=abc")
        #expect(hook.minSeverity == .critical && hook.sources == [.budget, .costData])
        let chat = try #require(n.sink(named: "chat"))
        #expect(chat.minSeverity == .warning && chat.sources == Set(AlertSource.allCases))
        #expect(n.sink(named: "teams")?.minSeverity == .info)
        guard case .email(let mail) = n.sink(named: "finance-mail")?.destination else {
            Issue.record("finance-mail is not an email sink")
            return
        }
        #expect(mail.host == "smtp.example.com" && mail.port == 465 && mail.security == .implicitTLS)
        #expect(mail.username == "alerts@example.com" && mail.password?.reveal() == "pw")
        #expect(mail.from == "qlp@example.com" && mail.to == ["finance@example.com", "cfo@example.com"])
        guard case .email(let local) = n.sink(named: "local-mail")?.destination else {
            Issue.record("local-mail is not an email sink")
            return
        }
        // Loopback relays commonly speak no TLS, so STARTTLS defaults to optional there.
        #expect(local.security == .startTLS(.optional) && local.port == 2525 && local.password == nil)
    }

    @Test func remindersCanBeTurnedOff() throws {
        #expect(try parse(["  reminder_interval: off"]).get().notifications.reminderInterval == nil)
        let tooShort = errors(["  reminder_interval: 10s"])
        #expect(tooShort.count == 1 && tooShort.first?.key == "notifications.reminder_interval" && tooShort.first?.line == line(0))
    }

    @Test func remoteSMTPDefaultsToRequiredStartTLSAndRefusesLess() throws {
        let config = try parse([
            "  sinks:",
            "    - {name: m, kind: email, smtp_url: \"smtp://mail.example.com:587\", from: a@example.com, to: [b@example.com]}",
        ]).get()
        guard case .email(let mail) = config.notifications.sinks.first?.destination else {
            Issue.record("not an email sink")
            return
        }
        #expect(mail.security == .startTLS(.required))
        let weak = errors([
            "  sinks:",
            "    - name: m",
            "      kind: email",
            "      smtp_url: smtp://mail.example.com:587",
            "      starttls: optional",
            "      from: a@example.com",
            "      to: [b@example.com]",
        ])
        #expect(weak.map(\.key) == ["notifications.sinks.[0].starttls"])
        #expect(weak.first?.line == line(4) && weak.first?.file == "n.yaml")
        let onSMTPS = errors([
            "  sinks:",
            "    - {name: m, kind: email, smtp_url: \"smtps://mail.example.com\", starttls: required, from: a@example.com, to: [b@example.com]}",
        ])
        #expect(onSMTPS.map(\.key) == ["notifications.sinks.[0].starttls"])
    }

    @Test func everyBadValueIsNamedWithItsLineAndKey() {
        let found = errors([
            "  sinks:",
            "    - name: a",  // 1
            "      kind: pager",  // 2: unknown kind
            "    - name: b",  // 3
            "      kind: webhook",  // 4: url missing (named at the sink's first line)
            "    - name: c",  // 5
            "      kind: webhook",  // 6
            "      url: http://alerts.example.com/hook",  // 7: plain http to a remote host
            "      min_severity: urgent",  // 8: unknown severity
            "      sources: [budget, billing]",  // 9: unknown source
            "    - name: c",  // 10: duplicate name
            "      kind: slack",  // 11
            "      url: \(slackURL)",  // 12
            "    - name: m",  // 13
            "      kind: email",  // 14: smtp_url, from, to missing
        ])
        let located = Set(found.map { "\($0.line ?? -1) \($0.key ?? "")" })
        #expect(located.contains("\(line(2)) notifications.sinks.[0].kind"))
        #expect(located.contains("\(line(3)) notifications.sinks.[1].url"))
        #expect(located.contains("\(line(7)) notifications.sinks.[2].url"))
        #expect(located.contains("\(line(8)) notifications.sinks.[2].min_severity"))
        #expect(located.contains("\(line(9)) notifications.sinks.[2].sources.[1]"))
        #expect(located.contains("\(line(10)) notifications.sinks.[3].name"))
        #expect(found.contains { $0.key == "notifications.sinks.[4].smtp_url" && $0.message.contains("missing") })
        #expect(found.contains { $0.key == "notifications.sinks.[4].from" })
        #expect(found.contains { $0.key == "notifications.sinks.[4].to" })
        #expect(found.allSatisfy { $0.file == "n.yaml" })
        #expect(found.count == 9, "\(found)")
    }

    @Test func emailAddressesAndServersAreChecked() {
        let found = errors([
            "  sinks:",
            "    - name: m",
            "      kind: email",
            "      smtp_url: https://mail.example.com",  // 3: not smtp
            "      from: \"qlp@example.com\\r\\nBcc: x@evil.test\"",  // 4: header injection
            "      to: []",  // 5: empty
            "      url: https://x.example.com",  // 6: not an email key
            "      password: pw",  // 7: no username
        ])
        let keys = Set(found.map { $0.key ?? "" })
        #expect(
            keys == [
                "notifications.sinks.[0].smtp_url", "notifications.sinks.[0].from", "notifications.sinks.[0].to",
                "notifications.sinks.[0].url", "notifications.sinks.[0].password",
            ], "\(found)")
        #expect(found.first { $0.key == "notifications.sinks.[0].from" }?.line == line(4))
    }

    @Test func aSecretURLIsNeverEchoedInAnError() {
        // A Slack URL is a credential: an error about it shows its scheme and host only.
        let secretPath = "/services/EXAMPLE/EXAMPLE/XXXXSECRETXXXX"
        for url in ["http://hooks.slack.com\(secretPath)", "ftp://hooks.slack.com\(secretPath)", "hooks.slack.com\(secretPath)"] {
            let found = errors(["  sinks:", "    - {name: s, kind: slack, url: \"\(url)\"}"])
            #expect(found.count == 1 && found.first?.key == "notifications.sinks.[0].url")
            #expect(found.allSatisfy { !$0.description.contains("XXXXSECRETXXXX") }, "\(found)")
        }
        // ...and so does one about a URL from the environment: the reference is shown, never the value.
        let fromEnvironment = errors(
            ["  sinks:", "    - {name: s, kind: slack, url: \"${HOOK}\"}"],
            environment: ["HOOK": "http://hooks.slack.com\(secretPath)"])
        #expect(fromEnvironment.count == 1 && !fromEnvironment[0].description.contains("XXXXSECRETXXXX"))
        // The parsed sink prints no URL either.
        let parsed = try? parse(["  sinks:", "    - {name: s, kind: slack, url: \"\(slackURL)\"}"]).get()
        let printed = String(describing: parsed?.notifications as Any) + String(reflecting: parsed?.notifications as Any)
        #expect(parsed != nil)
        #expect(!printed.contains("XXXXSECRETXXXX"))
    }

    /// The commented sinks in config/qlp.yaml, uncommented, are a valid section.
    @Test func theExampleSinksParseWhenUncommented() throws {
        let examplePath = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/qlp.yaml").path
        var lines = try String(contentsOfFile: examplePath, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let empty = try #require(lines.firstIndex(of: "  sinks: []"))
        lines.remove(at: empty)
        var end = empty
        while end < lines.count, lines[end].hasPrefix("  # ") {
            lines[end] = "  " + lines[end].dropFirst(4)
            end += 1
        }
        let environment = [
            "AZURE_TENANT_ID": "t", "AZURE_SUBSCRIPTION_ID": "s", "HOME": "/home/tester", "USER": "alice",
            "QLP_ALERT_WEBHOOK": "https://alerts.example.com/hook", "QLP_SLACK_WEBHOOK": slackURL,
            "QLP_SMTP_PASSWORD": "pw",
        ]
        let config = try ConfigParser(environment: environment, requireAzure: true)
            .parse(yaml: lines.joined(separator: "\n"), file: "config/qlp.yaml")
        #expect(config.notifications.sinks.map(\.name) == ["oncall-webhook", "team-chat", "finance-mail"])
        #expect(config.notifications.reminderInterval == .seconds(3600))
    }

    @Test func anUnsetVariableNamesItsFix() {
        let found = errors(["  sinks:", "    - {name: s, kind: webhook, url: \"${QLP_ALERT_WEBHOOK}\"}"])
        #expect(found.count == 1 && found.first?.fix == .setEnvironmentVariable("QLP_ALERT_WEBHOOK"))
    }
}
