import QLPCore

/// The `azure` section.
enum AzureSectionParser {
    static func parse(_ section: ConfigValue, _ r: ConfigReader) -> AzureSettings? {
        guard let map = r.mapping(section, allowed: ["tenant_id", "subscription_id", "resource_group", "credential",
                                                     "client_id", "client_secret", "endpoints",
                                                     "cost_management_api_version"]) else { return nil }
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
            default:
                r.fail(value, "expected environment or client_secret, found '\(kind)'")
                credential = nil
            }
        }
        var endpoints = AzureEndpoints.publicCloud
        if let value = r.optional(map, "endpoints"),
           let eps = r.mapping(value, allowed: ["authority", "management"]) {
            let authority = r.optional(eps, "authority").flatMap { url($0, r) } ?? endpoints.authority
            let management = r.optional(eps, "management").flatMap { url($0, r) } ?? endpoints.management
            endpoints = AzureEndpoints(authority: authority, management: management)
        }
        let apiVersion = r.optional(map, "cost_management_api_version").flatMap(r.nonEmptyString) ?? "2023-03-01"
        guard let tenant, let subscription, let resourceGroup, let credential else { return nil }
        return AzureSettings(tenantID: tenant, subscriptionID: subscription, resourceGroup: resourceGroup,
                             credential: credential, endpoints: endpoints, costManagementAPIVersion: apiVersion)
    }

    static func url(_ value: ConfigValue, _ r: ConfigReader) -> String? {
        guard let text = r.nonEmptyString(value) else { return nil }
        guard text.hasPrefix("https://") || text.hasPrefix("http://") else {
            r.fail(value, "expected an http:// or https:// URL, found '\(text)'")
            return nil
        }
        return text
    }
}
