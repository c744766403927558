/// The `fleet` section: several `qlp gateway` replicas sharing one route
/// table on Redis. Without it a gateway keeps its table in SQLite on its own
/// machine, which is all one machine needs.
public struct FleetSettings: Sendable, Equatable {
    /// redis://[user:pass@]host[:port][/db] or rediss:// (TLS; Azure Cache for Redis listens on 6380).
    /// A secret: it may carry the password.
    public var redisURL: Secret
    /// The password, when it is kept out of the URL: `${REDIS_PASSWORD}` or a keyvault:// reference.
    public var redisPassword: Secret?
    /// A CA certificate file (PEM) to trust for rediss:// beside the system's, for a private CA.
    public var redisCAFile: String?
    /// This replica's name in the audit log, the admin API and the dashboard; nil: the host name
    /// (on AKS the pod's name).
    public var replicaName: String?
    /// Prefixed to every Redis key and channel, so several fleets can share one Redis.
    public var keyPrefix: String

    public static let defaultKeyPrefix = "qlp:"

    public init(
        redisURL: Secret, redisPassword: Secret? = nil, redisCAFile: String? = nil, replicaName: String? = nil,
        keyPrefix: String = FleetSettings.defaultKeyPrefix
    ) {
        self.redisURL = redisURL
        self.redisPassword = redisPassword
        self.redisCAFile = redisCAFile
        self.replicaName = replicaName
        self.keyPrefix = keyPrefix
    }
}
