import QLPCore

/// The `azure` section.
enum AzureSectionParser {
    static func parse(_ section: ConfigValue, _ r: ConfigReader) -> AzureSettings? {
        guard let map = r.mapping(section, allowed: ["tenant_id", "subscription_id", "resource_group", "credential",
                                                     "client_id", "client_secret", "endpoints",
                                                     "cost_management_api_version", "monitor"]) else { return nil }
        let tenant = r.required(map, "tenant_id").flatMap(r.nonEmptyString)
        let subscription = r.required(map, "subscription_id").flatMap(r.nonEmptyString)
        let resourceGroup = r.required(map, "resource_group").flatMap(r.nonEmptyString)
        var credential: AzureCredentialSource? = .environment
        if let value = r.optional(map, "credential"), let kind = r.string(value) {
            switch kind {
            case "environment":
                credential = .environment
            case "client_secret":
                let id = r.required(map, "client_id").flatMap(r.nonEmptyString)
                let secret = r.required(map, "client_secret").flatMap(r.secret)
                credential = id.flatMap { id in secret.map { .clientSecret(clientID: id, secret: $0) } }
            case "auto":
                credential = .auto
            case "managed_identity":
                credential = .managedIdentity(clientID: r.optional(map, "client_id").flatMap(r.nonEmptyString))
            case "azure_cli":
                credential = .azureCLI
            default:
                r.fail(value, "expected auto, environment, client_secret, managed_identity or azure_cli, found '\(kind)'")
                credential = nil
            }
        }
        var endpoints = AzureEndpoints.publicCloud
        if let value = r.optional(map, "endpoints"),
           let eps = r.mapping(value, allowed: ["authority", "management", "key_vault"]) {
            let authority = r.optional(eps, "authority").flatMap { url($0, r) } ?? endpoints.authority
            let management = r.optional(eps, "management").flatMap { url($0, r) } ?? endpoints.management
            let keyVault = r.optional(eps, "key_vault").flatMap { keyVaultTemplate($0, r) } ?? endpoints.keyVault
            endpoints = AzureEndpoints(authority: authority, management: management, keyVault: keyVault)
        }
        let apiVersion = r.optional(map, "cost_management_api_version").flatMap(r.nonEmptyString) ?? "2023-03-01"
        let monitor = r.optional(map, "monitor").flatMap { monitorSettings($0, r) } ?? MonitorSettings()
        guard let tenant, let subscription, let resourceGroup, let credential else { return nil }
        return AzureSettings(tenantID: tenant, subscriptionID: subscription, resourceGroup: resourceGroup,
                             credential: credential, endpoints: endpoints, costManagementAPIVersion: apiVersion, monitor: monitor)
    }

    /// azure.monitor: { interval: 1m, resources: [{name, id, metrics: [...], namespace?}] }
    static func monitorSettings(_ value: ConfigValue, _ r: ConfigReader) -> MonitorSettings? {
        guard let map = r.mapping(value, allowed: ["interval", "resources"]) else { return nil }
        var settings = MonitorSettings()
        if let v = r.optional(map, "interval"), let d = r.duration(v) {
            if d < .seconds(10) { r.fail(v, "must be at least 10s (Azure Monitor's finest grain is a minute)") }
            settings.interval = d
        }
        if let list = r.optional(map, "resources"), let items = r.sequence(list) {
            for item in items {
                guard let fields = r.mapping(item, allowed: ["name", "id", "metrics", "namespace"]) else { continue }
                let name = r.required(fields, "name").flatMap(r.nonEmptyString)
                let idValue = r.required(fields, "id")
                let id = idValue.flatMap(r.nonEmptyString)
                let metrics = r.required(fields, "metrics").flatMap(r.stringList)
                let namespace = r.optional(fields, "namespace").flatMap(r.nonEmptyString)
                if let id, let idValue, !(id.lowercased().hasPrefix("/subscriptions/") && id.lowercased().contains("/providers/")) {
                    r.fail(idValue, "expected a resource ID such as /subscriptions/{id}/resourceGroups/{group}/providers/{type}/{name}")
                    continue
                }
                if let metrics, metrics.isEmpty, let list = r.optional(fields, "metrics") { r.fail(list, "list at least one metric") }
                if let name, let id, let metrics {
                    settings.resources.append(.init(name: name, id: id, metrics: metrics, namespace: namespace))
                }
            }
        }
        return settings
    }

    static func url(_ value: ConfigValue, _ r: ConfigReader) -> String? {
        guard let text = r.nonEmptyString(value) else { return nil }
        guard text.hasPrefix("https://") || text.hasPrefix("http://") else {
            r.fail(value, "expected an http:// or https:// URL, found '\(text)'")
            return nil
        }
        return text
    }

    /// A vault URL template: an http(s) URL where `{vault}`, if present, stands for the vault's name.
    static func keyVaultTemplate(_ value: ConfigValue, _ r: ConfigReader) -> String? {
        guard let text = url(value, r) else { return nil }
        let withoutPlaceholder = text.replacingOccurrences(of: "{vault}", with: "")
        guard !withoutPlaceholder.contains("{"), !withoutPlaceholder.contains("}") else {
            r.fail(value, "the only placeholder allowed is {vault}, as in https://{vault}.vault.azure.net; found '\(text)'")
            return nil
        }
        return text
    }
}
