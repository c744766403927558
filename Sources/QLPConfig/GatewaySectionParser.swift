import Foundation
import QLPCore

/// The `gateway` section: listeners, the admin token, client keys and the
/// limits every request runs under. Every key has a default (GatewaySettings'),
/// so the section may be left out entirely.
enum GatewaySectionParser {
    static let keys = [
        "listen", "admin_listen", "admin_token", "admin_token_name", "viewer_token", "viewer_token_name",
        "client_key_sha256", "max_request_bytes",
        "request_timeout", "max_attempts", "max_retry_after_wait", "breaker", "probe_interval", "idle_timeout",
        "usage_ledger", "usage_retention", "drain_timeout", "upstream_client",
    ]

    static func parse(_ section: ConfigValue?, _ r: ConfigReader) -> GatewaySettings? {
        var settings = GatewaySettings()
        guard let section else { return settings }
        guard let map = r.mapping(section, allowed: keys + exposureKeys) else { return nil }
        exposure(map, r, into: &settings)
        if let value = r.optional(map, "listen"), let (host, port) = listenAddress(value, r) {
            settings.host = host
            settings.port = port
        }
        if let value = r.optional(map, "admin_listen"), let (host, port) = listenAddress(value, r) {
            settings.adminHost = host
            settings.adminPort = port
        }
        if let value = r.optional(map, "admin_token"), let token = r.secret(value) {
            // Empty (an unset ${QLP_ADMIN_TOKEN:-}) means no token: the admin API then refuses everything.
            settings.adminToken = token.isEmpty ? nil : token
        }
        adminRoles(map, r, into: &settings)
        if let value = r.optional(map, "client_key_sha256"), let items = r.sequence(value) {
            settings.clientKeyHashes = items.compactMap { keyHash($0, r) }
        }
        if let value = r.optional(map, "max_request_bytes"), let bytes = r.int(value) {
            if bytes < 1024 || bytes > 256 << 20 {
                r.fail(value, "must be between 1024 and \(256 << 20) bytes (256 MiB), found \(bytes)")
            } else {
                settings.maxRequestBytes = bytes
            }
        }
        if let value = r.optional(map, "request_timeout"), let d = r.duration(value) {
            if d < .seconds(1) || d > .seconds(3600) { r.fail(value, "must be between 1s and 1h") } else { settings.requestTimeout = d }
        }
        if let value = r.optional(map, "max_attempts"), let n = r.int(value) {
            if !(1...10).contains(n) { r.fail(value, "must be between 1 and 10, found \(n)") } else { settings.maxAttempts = n }
        }
        if let value = r.optional(map, "max_retry_after_wait"), let d = r.duration(value) {
            if d > .seconds(60) { r.fail(value, "must be at most 1m") } else { settings.maxRetryAfterWait = d }
        }
        if let value = r.optional(map, "breaker") { breaker(value, r, into: &settings) }
        if let value = r.optional(map, "probe_interval"), let d = r.duration(value) {
            // Zero turns probes off; anything faster than a second would itself be load.
            if d != .zero && d < .seconds(1) { r.fail(value, "must be 0s (off) or at least 1s") } else { settings.probeInterval = d }
        }
        if let value = r.optional(map, "idle_timeout"), let d = r.duration(value) {
            if d < .seconds(1) || d > .seconds(3600) { r.fail(value, "must be between 1s and 1h") } else { settings.idleTimeout = d }
        }
        if let value = r.optional(map, "drain_timeout"), let d = r.duration(value) {
            // Zero ends streams at once; past 10 minutes no service manager waits (systemd's TimeoutStopSec, Kubernetes' grace).
            if d > .seconds(600) { r.fail(value, "must be between 0s and 10m") } else { settings.drainTimeout = d }
        }
        if let value = r.optional(map, "upstream_client"), let text = r.string(value) {
            if let kind = UpstreamClientKind(rawValue: text) {
                settings.upstreamClient = kind
            } else {
                r.fail(value, "must be one of \(UpstreamClientKind.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(text)\"")
            }
        }
        if let value = r.optional(map, "usage_ledger"), let on = r.bool(value) { settings.usageLedger = on }
        if let value = r.optional(map, "usage_retention"), let d = r.duration(value) {
            if d < .seconds(86_400) || d > .seconds(400 * 86_400) {
                r.fail(value, "must be between 1d and 400d (the hourly rollups are kept for 400 days whatever this says)")
            } else {
                settings.usageRetention = d
            }
        }
        return settings
    }

    /// The viewer token and both tokens' names. The name is who a token is in
    /// the audit log, so two tokens may share neither a value (the server
    /// could not tell which role a request has) nor a name.
    static func adminRoles(_ map: ConfigMapping, _ r: ConfigReader, into settings: inout GatewaySettings) {
        let viewerValue = r.optional(map, "viewer_token")
        if let viewerValue, let token = r.secret(viewerValue) {
            settings.viewerToken = token.isEmpty ? nil : token
        }
        if let viewerValue, let admin = settings.adminToken, let viewer = settings.viewerToken, admin.reveal() == viewer.reveal() {
            // Named by key only: the value is a secret.
            r.fail(
                viewerValue,
                "gateway.viewer_token is the same as gateway.admin_token: give the viewer (read-only) "
                    + "token its own value, or every admin would be a viewer and the reverse")
        }
        if let value = r.optional(map, "admin_token_name"), let name = tokenName(value, r) { settings.adminTokenName = name }
        if let value = r.optional(map, "viewer_token_name"), let name = tokenName(value, r) {
            if name == settings.adminTokenName {
                r.fail(
                    value,
                    "gateway.viewer_token_name and gateway.admin_token_name are both '\(name)': the audit log "
                        + "could not tell the two tokens apart")
            } else {
                settings.viewerTokenName = name
            }
        }
    }

    /// A token's name: a word of letters, digits, '.', '_' or '-' (no '/', which
    /// separates it from the caller's X-QLP-Actor in the audit log: "admin/alice").
    static func tokenName(_ value: ConfigValue, _ r: ConfigReader) -> String? {
        guard let text = r.nonEmptyString(value)?.trimmingCharacters(in: .whitespaces) else { return nil }
        let allowed =
            text.count <= 32
            && text.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
            }
        guard allowed else {
            r.fail(value, "expected a name of up to 32 letters, digits, '.', '_' or '-' such as ops-admin, found '\(text.prefix(40))'")
            return nil
        }
        return text
    }

    /// Who may reach the listeners and how much one request may spend.
    static let exposureKeys = ["allowed_hosts", "allowed_origins", "max_output_tokens", "max_choices"]

    static func exposure(_ map: ConfigMapping, _ r: ConfigReader, into settings: inout GatewaySettings) {
        if let value = r.optional(map, "allowed_hosts"), let items = r.sequence(value) {
            settings.allowedHosts = items.compactMap { item in
                guard let text = r.nonEmptyString(item)?.trimmingCharacters(in: .whitespaces).lowercased() else { return nil }
                guard !text.contains("/"), !text.contains("*"), !text.contains(where: \.isWhitespace) else {
                    r.fail(item, "expected a host name or address such as gateway.internal.example, found '\(text)'")
                    return nil
                }
                return text
            }
        }
        if let value = r.optional(map, "allowed_origins"), let items = r.sequence(value) {
            settings.allowedOrigins = items.compactMap { item in
                guard let text = r.nonEmptyString(item)?.trimmingCharacters(in: .whitespaces) else { return nil }
                guard let parsed = origin(text) else {
                    r.fail(
                        item,
                        "expected a web origin such as https://app.example or http://localhost:3000 (scheme, host, "
                            + "optional port; no path, no wildcard), found '\(text)'")
                    return nil
                }
                return parsed
            }
        }
        if let value = r.optional(map, "max_output_tokens"), let n = r.int(value) {
            if !(1...1_000_000).contains(n) {
                r.fail(value, "must be between 1 and 1000000, found \(n)")
            } else {
                settings.maxOutputTokens = n
            }
        }
        if let value = r.optional(map, "max_choices"), let n = r.int(value) {
            if !(1...128).contains(n) { r.fail(value, "must be between 1 and 128, found \(n)") } else { settings.maxChoices = n }
        }
    }

    /// An origin as browsers send it in Origin: scheme://host[:port], lower-cased.
    static func origin(_ text: String) -> String? {
        let lower = text.lowercased()
        guard let separator = lower.range(of: "://") else { return nil }
        let scheme = lower[..<separator.lowerBound]
        let authority = lower[separator.upperBound...]
        guard scheme == "http" || scheme == "https", !authority.isEmpty,
            !authority.contains(where: { "/?#*@ ".contains($0) })
        else { return nil }
        return lower
    }

    static let breakerKeys = ["window", "minimum_requests", "failure_ratio", "open_for"]

    static func breaker(_ value: ConfigValue, _ r: ConfigReader, into settings: inout GatewaySettings) {
        guard let map = r.mapping(value, allowed: breakerKeys) else { return }
        if let value = r.optional(map, "window"), let d = r.duration(value) {
            if d < .milliseconds(100) || d > .seconds(3600) {
                r.fail(value, "must be between 100ms and 1h")
            } else {
                settings.breakerWindow = d
            }
        }
        if let value = r.optional(map, "minimum_requests"), let n = r.int(value) {
            if n < 1 { r.fail(value, "must be at least 1, found \(n)") } else { settings.breakerMinimumRequests = n }
        }
        if let value = r.optional(map, "failure_ratio"), let ratio = r.decimal(value, example: "0.5") {
            if ratio <= 0 || ratio > 1 {
                r.fail(value, "is a fraction of requests, above 0 and at most 1 (0.5 = half), found \(ratio)")
            } else {
                settings.breakerFailureRatio = NSDecimalNumber(decimal: ratio).doubleValue
            }
        }
        if let value = r.optional(map, "open_for"), let d = r.duration(value) {
            if d < .milliseconds(100) || d > .seconds(3600) {
                r.fail(value, "must be between 100ms and 1h")
            } else {
                settings.breakerOpenFor = d
            }
        }
    }

    /// "127.0.0.1:8088", "localhost:8088", "[::1]:8088", or ":8088" (loopback).
    static func listenAddress(_ value: ConfigValue, _ r: ConfigReader) -> (String, Int)? {
        guard let text = r.nonEmptyString(value)?.trimmingCharacters(in: .whitespaces) else { return nil }
        let host: String
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                r.fail(value, "expected [address]:port such as [::1]:8088, found '\(text)'")
                return nil
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else {
                r.fail(value, "expected host:port such as 127.0.0.1:8088, found '\(text)'")
                return nil
            }
            let named = String(text[..<colon])
            host = named.isEmpty ? "127.0.0.1" : named
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            r.fail(value, "the port must be a number from 0 to 65535, found '\(portText)'")
            return nil
        }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else {
            r.fail(value, "expected host:port such as 127.0.0.1:8088, found '\(text)'")
            return nil
        }
        return (host, port)
    }

    /// A client key's SHA-256 as 64 hex digits, lower-cased for comparison.
    static func keyHash(_ value: ConfigValue, _ r: ConfigReader) -> String? {
        // A key hash is not a secret, but a pasted key would be: never echo the value.
        guard let text = r.string(value, secret: true)?.trimmingCharacters(in: .whitespaces) else { return nil }
        guard text.count == 64, text.allSatisfy(\.isHexDigit) else {
            r.fail(
                value,
                "expected the SHA-256 of a client key as 64 hex digits (printf %s KEY | sha256sum), "
                    + "found \(text.count) characters" + (text.allSatisfy(\.isHexDigit) ? "" : " that are not all hex digits"))
            return nil
        }
        return text.lowercased()
    }
}
