/// The `notifications` section: where alert transitions are sent, and how
/// often a critical alert that stays open is told again. Empty by default:
/// without sinks nothing leaves the machine.
public struct NotificationSettings: Sendable, Equatable {
    /// The default reminder interval for critical alerts still open.
    public static let defaultReminderInterval: Duration = .seconds(3600)

    /// A critical alert still open this long after its last notice is told
    /// again; nil (`reminder_interval: off`): never.
    public var reminderInterval: Duration?
    /// In file order; names are unique.
    public var sinks: [NotificationSink]

    public init(reminderInterval: Duration? = NotificationSettings.defaultReminderInterval, sinks: [NotificationSink] = []) {
        self.reminderInterval = reminderInterval
        self.sinks = sinks
    }

    /// Whether a sink is told about spend (budget or cost-data alerts): what makes a gateway without budget rules read it.
    public var wantsSpend: Bool { sinks.contains { $0.sources.contains(.budget) || $0.sources.contains(.costData) } }

    /// The sink called `name`, if any.
    public func sink(named name: String) -> NotificationSink? { sinks.first { $0.name == name } }
}

/// One place alerts are sent: a generic JSON webhook, a Slack or Teams
/// incoming webhook, or an email address list.
public struct NotificationSink: Sendable, Equatable {
    /// The config spelling of each kind of sink.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case webhook, slack, teams, email
    }

    /// Where the messages go. Webhook URLs are secrets: Slack and Teams put
    /// the token that lets anyone post to the channel in the URL's path.
    public enum Destination: Sendable, Equatable {
        case webhook(url: Secret)
        case slack(url: Secret)
        case teams(url: Secret)
        case email(EmailSinkSettings)
    }

    /// Unique among the sinks: what logs, the outbox and the UI call it.
    public var name: String
    public var destination: Destination
    /// Alerts below this severity are not sent here.
    public var minSeverity: AlertSeverity
    /// Only alerts from these sources are sent here.
    public var sources: Set<AlertSource>

    public init(
        name: String, destination: Destination, minSeverity: AlertSeverity = .warning,
        sources: Set<AlertSource> = Set(AlertSource.allCases)
    ) {
        self.name = name
        self.destination = destination
        self.minSeverity = minSeverity
        self.sources = sources
    }

    public var kind: Kind {
        switch destination {
        case .webhook: .webhook
        case .slack: .slack
        case .teams: .teams
        case .email: .email
        }
    }

    /// The URL an HTTP sink posts to; nil for email.
    public var url: Secret? {
        switch destination {
        case .webhook(let url), .slack(let url), .teams(let url): url
        case .email: nil
        }
    }

    /// Whether `alert` is one this sink wants.
    public func accepts(_ alert: Alert) -> Bool {
        alert.severity >= minSeverity && sources.contains(alert.source)
    }
}

/// An email sink: the SMTP server to hand messages to and who gets them.
public struct EmailSinkSettings: Sendable, Equatable {
    /// How the connection to the SMTP server is protected.
    public enum Security: Sendable, Equatable {
        /// `smtps://`: TLS from the first byte.
        case implicitTLS
        /// `smtp://`, upgraded with STARTTLS as the policy says.
        case startTLS(StartTLSPolicy)
    }

    /// The `starttls` key, for `smtp://` servers.
    public enum StartTLSPolicy: String, Sendable, Equatable, CaseIterable {
        /// Refuse to go on if the server does not offer STARTTLS.
        case required
        /// Upgrade when offered, else go on in the clear (loopback relays).
        case optional
        /// Never upgrade.
        case never
    }

    /// `smtp://host[:port]` or `smtps://host[:port]`, without credentials.
    public var smtpURL: String
    public var host: String
    /// Nil: the scheme's usual port (smtps 465, smtp 25).
    public var port: Int?
    public var security: Security
    public var username: String?
    /// A password, or a keyvault:// reference resolved at start-up.
    public var password: Secret?
    public var from: String
    public var to: [String]

    public init(
        smtpURL: String, host: String, port: Int? = nil, security: Security, username: String? = nil,
        password: Secret? = nil, from: String, to: [String]
    ) {
        self.smtpURL = smtpURL
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.from = from
        self.to = to
    }
}
