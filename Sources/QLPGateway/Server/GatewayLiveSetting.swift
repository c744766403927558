import QLPCore

/// A gateway setting a reload (SIGHUP) takes up while serving: one each
/// request reads as it starts, so a request in flight keeps the value it
/// started with and the next one gets the new one. Every other gateway key
/// is read once, by a listener or a component built at start, and needs a restart.
public struct GatewayLiveSetting: Sendable {
    /// The config key, as errors and the log name it.
    public let key: String
    let same: @Sendable (GatewaySettings, GatewaySettings) -> Bool
    let take: @Sendable (inout GatewaySettings, GatewaySettings) -> Void

    init<Value: Equatable & Sendable>(_ key: String, _ path: any WritableKeyPath<GatewaySettings, Value> & Sendable) {
        self.key = key
        same = { $0[keyPath: path] == $1[keyPath: path] }
        take = { $0[keyPath: path] = $1[keyPath: path] }
    }

    public static let all: [GatewayLiveSetting] = [
        GatewayLiveSetting("gateway.client_key_sha256", \.clientKeyHashes),
        GatewayLiveSetting("gateway.max_request_bytes", \.maxRequestBytes),
        GatewayLiveSetting("gateway.max_output_tokens", \.maxOutputTokens),
        GatewayLiveSetting("gateway.max_choices", \.maxChoices),
        GatewayLiveSetting("gateway.request_timeout", \.requestTimeout),
        GatewayLiveSetting("gateway.max_attempts", \.maxAttempts),
        GatewayLiveSetting("gateway.max_retry_after_wait", \.maxRetryAfterWait),
    ]

    /// Whether `key` is one of these.
    public static func isLive(_ key: String) -> Bool { all.contains { $0.key == key } }
}
