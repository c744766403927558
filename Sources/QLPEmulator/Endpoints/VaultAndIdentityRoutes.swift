import Foundation
import QLPCore

/// GET /secrets/{name}[/{version}]?api-version=7.4 — Key Vault's get secret.
/// The emulator stands in for the vault (its base URL is the vault URL) and
/// holds the secrets of `EmulatorConfiguration.secrets`, each with one version.
struct KeyVaultSecretRoute: EmulatorRoute {
    let endpoint = EmulatedEndpoint.keyVault
    let authentication = RouteAuthentication.bearer

    func matches(_ r: EmulatedRequest) -> Bool {
        r.method == .get && (r.lower.count == 2 || r.lower.count == 3) && r.lower[0] == "secrets"
    }

    /// The one version of a secret: 32 hex digits, stable for a name.
    static func version(of name: String) -> String {
        ["a", "b", "c", "d"].map { part in
            let hex = String(UInt32(truncatingIfNeeded: SeededNoise.mix(UInt64(MetricWorld.stream("keyvault", name, [part])))), radix: 16)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }.joined()
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> EmulatedResponse {
        EmulatorReply.json(.object([("error", .object([("code", .string(code)), ("message", .string(message))]))]), status: status)
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        guard r.apiVersion != nil else {
            return Self.error(400, "BadParameter", "The 'api-version' query parameter is required.")
        }
        let name = r.segments[1]
        guard !name.isEmpty, name.count <= 127, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            return Self.error(400, "BadParameter", "The secret name '\(name)' is invalid: use 1-127 letters, digits and dashes.")
        }
        let notFound =
            "was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182"
        // Key Vault names are case-insensitive.
        guard let (stored, value) = context.configuration.secrets.first(where: { $0.key.caseInsensitiveCompare(name) == .orderedSame })
        else {
            return Self.error(404, "SecretNotFound", "A secret with (name/id) \(name) \(notFound)")
        }
        let version = Self.version(of: stored)
        if r.segments.count == 3, !r.segments[2].isEmpty, r.segments[2].lowercased() != version {
            return Self.error(404, "SecretNotFound", "A secret with (name/id) \(name)/\(r.segments[2]) \(notFound)")
        }
        let created = Int(context.configuration.world.firstDay.startInstant(in: EmulatedTime.utc).timeIntervalSince1970) - 86_400 * 14
        return EmulatorReply.json(
            .object([
                ("value", .string(value)),
                ("id", .string("\(context.state.baseURL)/secrets/\(stored)/\(version)")),
                (
                    "attributes",
                    .object([
                        ("enabled", .bool(true)),
                        ("created", .number(created)),
                        ("updated", .number(created)),
                        ("recoveryLevel", .string("Recoverable+Purgeable")),
                    ])
                ),
            ]))
    }
}

/// GET /metadata/identity/oauth2/token — the Instance Metadata Service's
/// managed identity token, as documented in how-to-use-vm-token.md: the
/// `Metadata: true` header is required, and every number is a string.
struct ManagedIdentityTokenRoute: EmulatorRoute {
    let endpoint = EmulatedEndpoint.managedIdentity
    let authentication = RouteAuthentication.none

    func matches(_ r: EmulatedRequest) -> Bool {
        r.method == .get && r.lower == ["metadata", "identity", "oauth2", "token"]
    }

    static func error(_ error: String, _ description: String, status: Int = 400) -> EmulatedResponse {
        EmulatorReply.json(.object([("error", .string(error)), ("error_description", .string(description))]), status: status)
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        guard r.headers["metadata"] == "true" else {
            return Self.error("invalid_request", "Required metadata header not specified")
        }
        guard r.apiVersion != nil else {
            return Self.error("invalid_request", "Required query variable 'api-version' is missing")
        }
        guard let resource = r.query["resource"], !resource.isEmpty else {
            return Self.error("invalid_request", "Required query variable 'resource' is missing")
        }
        guard resource.hasPrefix("https://") || resource.hasPrefix("http://") else {
            return Self.error("invalid_resource", "AADSTS500011: The resource principal named \(resource) was not found in the tenant.")
        }
        if let client = r.query["client_id"], !client.isEmpty, client != context.configuration.managedIdentityClientID {
            return Self.error("invalid_request", "Identity not found")
        }
        let now = context.now
        let lifetime = Int(context.configuration.tokenLifetime.components.seconds)
        let token = context.tokens.issue(lifetime: context.configuration.tokenLifetime, now: now)
        let issued = Int(now.timeIntervalSince1970)
        return EmulatorReply.json(
            .object([
                ("access_token", .string(token)),
                ("refresh_token", .string("")),
                ("expires_in", .string(String(lifetime))),
                ("expires_on", .string(String(issued + lifetime))),
                ("not_before", .string(String(issued - 300))),
                ("resource", .string(resource)),
                ("token_type", .string("Bearer")),
            ]))
    }
}

/// GET /msi/token?resource=...&api-version=2019-08-01 — App Service and
/// Container Apps' managed identity endpoint (IDENTITY_ENDPOINT): the
/// `X-IDENTITY-HEADER` must carry the platform's IDENTITY_HEADER, and
/// `expires_on` is epoch seconds.
struct IdentityEndpointTokenRoute: EmulatorRoute {
    let endpoint = EmulatedEndpoint.identityEndpoint
    let authentication = RouteAuthentication.none

    func matches(_ r: EmulatedRequest) -> Bool {
        r.method == .get && r.lower == ["msi", "token"]
    }

    static func error(_ status: Int, _ message: String) -> EmulatedResponse {
        EmulatorReply.json(.object([("statusCode", .number(status)), ("message", .string(message))]), status: status)
    }

    func respond(to r: EmulatedRequest, context: RouteContext) async -> EmulatedResponse {
        guard let header = r.headers["x-identity-header"], !header.isEmpty else {
            return Self.error(400, "The request is missing the X-IDENTITY-HEADER header.")
        }
        guard header == context.configuration.identityHeader else {
            return Self.error(401, "Unauthorized: the X-IDENTITY-HEADER value is not valid.")
        }
        guard r.apiVersion == "2019-08-01" else {
            return Self.error(400, "The api-version '\(r.apiVersion ?? "")' is not supported; use 2019-08-01.")
        }
        guard let resource = r.query["resource"], resource.hasPrefix("https://") || resource.hasPrefix("http://") else {
            return Self.error(400, "The 'resource' query parameter is missing or not a URI.")
        }
        if let client = r.query["client_id"], !client.isEmpty, client != context.configuration.managedIdentityClientID {
            return Self.error(404, "No user-assigned managed identity with client_id \(client) is assigned to this app.")
        }
        let lifetime = Int(context.configuration.tokenLifetime.components.seconds)
        let token = context.tokens.issue(lifetime: context.configuration.tokenLifetime, now: context.now)
        return EmulatorReply.json(
            .object([
                ("access_token", .string(token)),
                ("expires_on", .string(String(Int(context.now.timeIntervalSince1970) + lifetime))),
                ("resource", .string(resource)),
                ("token_type", .string("Bearer")),
                ("client_id", .string(r.query["client_id"] ?? context.configuration.managedIdentityClientID)),
            ]))
    }
}

extension EmulatorRoutes {
    /// Azure Monitor, Application Insights, Log Analytics, Key Vault and IMDS.
    static let observability: [any EmulatorRoute] = [
        MetricsRoute(), MetricDefinitionsRoute(), MetricsBatchRoute(), ResourceListRoute(),
        AppInsightsMetricsRoute(), AppInsightsQueryRoute(), LogAnalyticsQueryRoute(),
        KeyVaultSecretRoute(), ManagedIdentityTokenRoute(), IdentityEndpointTokenRoute(),
    ]
}
