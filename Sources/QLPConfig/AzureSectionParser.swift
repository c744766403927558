import QLPCore

/// The `azure` section.
enum AzureSectionParser {
    static let keys = [
        "tenant_id", "subscription_id", "resource_group", "credential", "client_id", "client_secret", "endpoints",
        "cost_management_api_version", "monitor",
    ]
    static let endpointKeys = ["authority", "management", "key_vault", "app_insights", "log_analytics", "metrics_batch"]
    static let monitorKeys = ["interval", "resources", "log_metrics", "region", "discover"]
    static let monitorResourceKeys = ["name", "id", "metrics", "namespace", "region", "aggregation", "filter"]
    static let logMetricKeys = ["name", "app_insights_app_id", "log_analytics_workspace_id", "query", "unit", "aggregation", "grain"]

    static func parse(_ section: ConfigValue, _ r: ConfigReader) -> AzureSettings? {
        guard let map = r.mapping(section, allowed: keys) else { return nil }
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
            case "workload_identity":
                credential = .workloadIdentity
            case "certificate":
                credential = .certificate
            default:
                r.fail(
                    value,
                    "expected auto, environment, client_secret, workload_identity, certificate, managed_identity or azure_cli, "
                        + "found '\(kind)'")
                credential = nil
            }
        }
        var endpoints = AzureEndpoints.publicCloud
        if let value = r.optional(map, "endpoints"),
            let eps = r.mapping(value, allowed: endpointKeys)
        {
            let authority = r.optional(eps, "authority").flatMap { r.endpoint($0, .entraAuthority) } ?? endpoints.authority
            let management = r.optional(eps, "management").flatMap { r.endpoint($0, .resourceManager) } ?? endpoints.management
            let keyVault =
                r.optional(eps, "key_vault")
                .flatMap { r.endpoint($0, .keyVault, placeholder: "{vault}", example: AzureEndpoints.publicKeyVault) } ?? endpoints.keyVault
            let metricsBatch =
                r.optional(eps, "metrics_batch")
                .flatMap { r.endpoint($0, .metricsBatch, placeholder: "{region}", example: AzureEndpoints.publicMetricsBatch) }
                ?? endpoints.metricsBatch
            let appInsights = r.optional(eps, "app_insights").flatMap { r.endpoint($0, .appInsights) } ?? endpoints.appInsights
            let logAnalytics = r.optional(eps, "log_analytics").flatMap { r.endpoint($0, .logAnalytics) } ?? endpoints.logAnalytics
            endpoints = AzureEndpoints(
                authority: authority, management: management, keyVault: keyVault,
                appInsights: appInsights, logAnalytics: logAnalytics, metricsBatch: metricsBatch)
        }
        let apiVersion = r.optional(map, "cost_management_api_version").flatMap(r.nonEmptyString) ?? "2023-03-01"
        let monitor = r.optional(map, "monitor").flatMap { monitorSettings($0, r) } ?? MonitorSettings()
        guard let tenant, let subscription, let resourceGroup, let credential else { return nil }
        return AzureSettings(
            tenantID: tenant, subscriptionID: subscription, resourceGroup: resourceGroup,
            credential: credential, endpoints: endpoints, costManagementAPIVersion: apiVersion, monitor: monitor)
    }

    /// azure.monitor: { interval: 1m, discover: false, resources: [{name, id, metrics: [...], namespace?}] }
    static func monitorSettings(_ value: ConfigValue, _ r: ConfigReader) -> MonitorSettings? {
        guard let map = r.mapping(value, allowed: monitorKeys) else { return nil }
        var settings = MonitorSettings()
        settings.discover = r.optional(map, "discover").flatMap(r.bool) ?? false
        if let v = r.optional(map, "interval"), let d = r.duration(v) {
            if d < .seconds(10) { r.fail(v, "must be at least 10s (Azure Monitor's finest grain is a minute)") }
            settings.interval = d
        }
        settings.region = r.optional(map, "region").flatMap { regionName($0, r) }
        if let list = r.optional(map, "resources"), let items = r.sequence(list) {
            for item in items {
                guard let fields = r.mapping(item, allowed: monitorResourceKeys)
                else { continue }
                let name = r.required(fields, "name").flatMap(r.nonEmptyString)
                let idValue = r.required(fields, "id")
                let id = idValue.flatMap(r.nonEmptyString)
                let metrics = r.required(fields, "metrics").flatMap(r.stringList)
                let namespace = r.optional(fields, "namespace").flatMap(r.nonEmptyString)
                let region = r.optional(fields, "region").flatMap { regionName($0, r) }
                let filter = r.optional(fields, "filter").flatMap(r.nonEmptyString)
                var aggregation: String?
                if let value = r.optional(fields, "aggregation"), let text = r.nonEmptyString(value) {
                    // Azure's names, matched without case so `average` works too.
                    aggregation = MonitorSettings.Resource.aggregations.first { $0.caseInsensitiveCompare(text) == .orderedSame }
                    if aggregation == nil {
                        r.fail(value, "expected one of \(MonitorSettings.Resource.aggregations.joined(separator: ", ")), found '\(text)'")
                    }
                }
                if let id, let idValue, !(id.lowercased().hasPrefix("/subscriptions/") && id.lowercased().contains("/providers/")) {
                    r.fail(idValue, "expected a resource ID such as /subscriptions/{id}/resourceGroups/{group}/providers/{type}/{name}")
                    continue
                }
                if let metrics, metrics.isEmpty, let list = r.optional(fields, "metrics") { r.fail(list, "list at least one metric") }
                if let name, let id, let metrics {
                    settings.resources.append(
                        .init(
                            name: name, id: id, metrics: metrics, namespace: namespace, region: region,
                            aggregation: aggregation, filter: filter))
                }
            }
        }
        if let list = r.optional(map, "log_metrics"), let items = r.sequence(list) {
            settings.logMetrics = items.compactMap { logMetric($0, r) }
        }
        return settings
    }

    /// One of azure.monitor.log_metrics: {name, app_insights_app_id | log_analytics_workspace_id, query, unit?, aggregation?, grain?}
    static func logMetric(_ item: ConfigValue, _ r: ConfigReader) -> MonitorSettings.LogMetric? {
        guard let fields = r.mapping(item, allowed: logMetricKeys) else { return nil }
        let name = r.required(fields, "name").flatMap(r.nonEmptyString)
        let query = r.required(fields, "query").flatMap(r.nonEmptyString)
        let unit = r.optional(fields, "unit").flatMap { r.string($0) } ?? ""
        let app = r.optional(fields, "app_insights_app_id").flatMap(r.nonEmptyString)
        let workspace = r.optional(fields, "log_analytics_workspace_id").flatMap(r.nonEmptyString)
        var source: MonitorSettings.LogMetric.Source?
        switch (app, workspace) {
        case (let app?, nil): source = .appInsights(appID: app)
        case (nil, let workspace?): source = .logAnalytics(workspaceID: workspace)
        case (.some, .some): r.fail(item, "give app_insights_app_id or log_analytics_workspace_id, not both")
        case (nil, nil):
            if fields["app_insights_app_id"] == nil, fields["log_analytics_workspace_id"] == nil {
                r.fail(item, "missing key 'app_insights_app_id' or 'log_analytics_workspace_id' (where the query runs)")
            }
        }
        var aggregation = MonitorSettings.LogMetric.Aggregation.average
        if let value = r.optional(fields, "aggregation"), let text = r.string(value) {
            if let parsed = MonitorSettings.LogMetric.Aggregation(rawValue: text) {
                aggregation = parsed
            } else {
                r.fail(
                    value,
                    "expected one of \(MonitorSettings.LogMetric.Aggregation.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'"
                )
            }
        }
        var grain = Duration.seconds(300)
        if let value = r.optional(fields, "grain"), let d = r.duration(value) {
            if d < .seconds(300) || d > .seconds(3600) || d.components.seconds % 300 != 0 || d.components.attoseconds != 0 {
                r.fail(value, "must be a multiple of 5m from 5m to 1h (the Monitor view draws the last three hours in 5-minute columns)")
            } else {
                grain = d
            }
        }
        guard let name, let query, let source else { return nil }
        return MonitorSettings.LogMetric(name: name, source: source, query: query, unit: unit, aggregation: aggregation, grain: grain)
    }

    /// An Azure region's name as ARM writes it: uksouth, westeurope.
    static func regionName(_ value: ConfigValue, _ r: ConfigReader) -> String? {
        guard let text = r.nonEmptyString(value) else { return nil }
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            r.fail(value, "expected a region name such as uksouth or westeurope (no spaces or dashes), found '\(text)'")
            return nil
        }
        return text.lowercased()
    }
}
