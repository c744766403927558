import QLPCore

/// What a running gateway does with an edited config (SIGHUP): routing edits
/// go to the route store as start-up's do (``RouteAuthority/reload(configTable:)``),
/// client keys and per-request limits are taken up (``GatewayLiveSetting``),
/// notification sinks by `qlp gateway` itself, and every other change is named as needing a restart, since what reads it
/// (a listener, the fleet's Redis connection, the upstream client) is built once.
public enum ConfigReload {
    /// A section or key read once at start, and how to tell whether an edit changed it.
    struct StartOnly: Sendable {
        let key: String
        let same: @Sendable (QLPConfiguration, QLPConfiguration) -> Bool

        init<Value: Equatable & Sendable>(_ key: String, _ path: any KeyPath<QLPConfiguration, Value> & Sendable) {
            self.key = key
            same = { $0[keyPath: path] == $1[keyPath: path] }
        }
    }

    static let startOnly: [StartOnly] = [
        StartOnly("gateway.listen", \.gateway.host),
        StartOnly("gateway.listen", \.gateway.port),
        StartOnly("gateway.admin_listen", \.gateway.adminHost),
        StartOnly("gateway.admin_listen", \.gateway.adminPort),
        StartOnly("gateway.admin_token", \.gateway.adminToken),
        StartOnly("gateway.admin_token_name", \.gateway.adminTokenName),
        StartOnly("gateway.viewer_token", \.gateway.viewerToken),
        StartOnly("gateway.viewer_token_name", \.gateway.viewerTokenName),
        StartOnly("gateway.allowed_hosts", \.gateway.allowedHosts),
        StartOnly("gateway.allowed_origins", \.gateway.allowedOrigins),
        StartOnly("gateway.breaker", \.gateway.breakerWindow),
        StartOnly("gateway.breaker", \.gateway.breakerMinimumRequests),
        StartOnly("gateway.breaker", \.gateway.breakerFailureRatio),
        StartOnly("gateway.breaker", \.gateway.breakerOpenFor),
        StartOnly("gateway.probe_interval", \.gateway.probeInterval),
        StartOnly("gateway.idle_timeout", \.gateway.idleTimeout),
        StartOnly("gateway.usage_ledger", \.gateway.usageLedger),
        StartOnly("gateway.usage_retention", \.gateway.usageRetention),
        StartOnly("gateway.drain_timeout", \.gateway.drainTimeout),
        StartOnly("fleet", \.fleet),
        StartOnly("dashboard.state_dir", \.dashboard.stateDirectory),
        StartOnly("dashboard.log_file", \.dashboard.logFile),
        // Its endpoint, key, auth and api_version go to the upstream client once; the
        // routing targets built from its deployments are reloaded with the routing.
        StartOnly("azure_openai", \.azureOpenAI),
        // The alert tracker is built at start with it; the sinks themselves reload (GatewayNotifications).
        StartOnly("notifications.reminder_interval", \.notifications.reminderInterval),
    ]

    /// The keys `edited` changes that take effect only after a restart, each once, in the config's order.
    public static func needingRestart(running: QLPConfiguration, edited: QLPConfiguration) -> [String] {
        var keys: [String] = []
        for entry in startOnly where !entry.same(running, edited) && !keys.contains(entry.key) { keys.append(entry.key) }
        return keys
    }
}
