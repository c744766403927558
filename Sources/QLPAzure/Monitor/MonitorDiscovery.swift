import Foundation
import QLPCore

/// One resource as Resource Manager lists it: the fields of
/// GenericResourceExpanded (resources.json, api-version 2021-04-01) that
/// discovery needs. Everything else in the entry (sku, kind, tags, identity…)
/// is ignored.
public struct ListedResource: Sendable, Equatable, Decodable {
    /// /subscriptions/{sub}/resourceGroups/{rg}/providers/{type}/{name}
    public var id: String
    /// The name path ("qlp-sql/quantumlayer" for a database).
    public var name: String
    /// "Microsoft.Sql/servers/databases"; Azure is not consistent about case
    /// ("microsoft.insights/components"), so it is compared without it.
    public var type: String
    /// The region ("uksouth"; "global" for Front Door).
    public var location: String?

    public init(id: String, name: String, type: String, location: String? = nil) {
        self.id = id
        self.name = name
        self.type = type
        self.location = location
    }
}

/// One page of `GET /subscriptions/{sub}/resourceGroups/{rg}/resources`
/// (ResourceListResult): the resources and, while there are more, the URL of
/// the next page.
public struct ResourceListPage: Sendable, Equatable, Decodable {
    public var value: [ListedResource]
    public var nextLink: String?

    public init(value: [ListedResource], nextLink: String? = nil) {
        self.value = value
        self.nextLink = nextLink
    }
}

/// Which metrics the Monitor view watches on a resource group's resources
/// when `azure.monitor.discover` is on: each resource of a known type with
/// that type's default metrics; resources of other types are not watched.
/// Pure: the listing in, the plans out.
public enum MonitorDiscovery {
    /// The metrics watched by default, per resource type (lower-cased).
    /// Names are Azure Monitor's REST names, from Microsoft's supported-metrics
    /// reference (learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/…):
    /// - microsoft-containerservice-managedclusters-metrics: node_cpu_usage_percentage, node_memory_working_set_percentage
    /// - microsoft-sql-servers-databases-metrics: cpu_percent, dtu_consumption_percent (DTU-based databases)
    /// - microsoft-cache-redis-metrics: percentProcessorTime ("CPU"), usedmemorypercentage
    /// - microsoft-cdn-profiles-metrics: RequestCount, TotalLatency (Front Door Standard/Premium)
    /// - microsoft-web-sites-metrics: Requests, Http5xx (function and web apps alike)
    /// - microsoft-containerinstance-containergroups-metrics: CpuUsage (millicores), MemoryUsage (bytes)
    /// - microsoft-cognitiveservices-accounts-metrics: ProcessedPromptTokens, TotalErrors ("Cognitive Services - HTTP Requests")
    /// - microsoft-insights-components-metrics: requests/failed, requests/duration
    public static let defaultMetrics: [String: [String]] = [
        "microsoft.containerservice/managedclusters": ["node_cpu_usage_percentage", "node_memory_working_set_percentage"],
        "microsoft.sql/servers/databases": ["cpu_percent", "dtu_consumption_percent"],
        "microsoft.cache/redis": ["percentProcessorTime", "usedmemorypercentage"],
        "microsoft.cdn/profiles": ["RequestCount", "TotalLatency"],
        "microsoft.web/sites": ["Requests", "Http5xx"],
        "microsoft.containerinstance/containergroups": ["CpuUsage", "MemoryUsage"],
        "microsoft.cognitiveservices/accounts": ["ProcessedPromptTokens", "TotalErrors"],
        "microsoft.insights/components": ["requests/failed", "requests/duration"],
    ]

    /// How often the resource group is listed again: resources come and go
    /// with deployments, not minute to minute.
    public static let refreshInterval: Duration = .seconds(3600)

    /// A page of the listing, from its JSON.
    public static func page(_ body: [UInt8]) throws -> ResourceListPage {
        try JSONDecoder().decode(ResourceListPage.self, from: body)
    }

    /// The watched resources among `listed`, in listing order, each named by
    /// its ARM name (made unique with its type where two share one: the name
    /// keys the kept history).
    public static func plans(_ listed: [ListedResource]) -> [MonitorSettings.Resource] {
        var plans: [MonitorSettings.Resource] = []
        var names = Set<String>()
        var ids = Set<String>()
        for resource in listed {
            guard let metrics = defaultMetrics[resource.type.lowercased()], ids.insert(resource.id.lowercased()).inserted,
                !isSystemDatabase(resource)
            else { continue }
            var name = resource.name
            if !names.insert(name.lowercased()).inserted {
                name += " (\(resource.type.split(separator: "/").last.map(String.init) ?? resource.type))"
                names.insert(name.lowercased())
            }
            plans.append(
                MonitorSettings.Resource(
                    name: name, id: resource.id, metrics: metrics,
                    region: resource.location.flatMap { $0.isEmpty ? nil : $0.lowercased() }))
        }
        return plans
    }

    /// The resources the poller reads: every configured one as configured, then
    /// the discovered ones the config does not list (same resource ID, without
    /// case: the config's metrics win).
    public static func merged(configured: [MonitorSettings.Resource], discovered: [MonitorSettings.Resource]) -> [MonitorSettings.Resource]
    {
        let configuredIDs = Set(configured.map { $0.id.lowercased() })
        var names = Set(configured.map { $0.name.lowercased() })
        return configured
            + discovered.filter { resource in
                !configuredIDs.contains(resource.id.lowercased()) && names.insert(resource.name.lowercased()).inserted
            }
    }

    /// Every logical server lists its `master` database, which has no
    /// workload of its own and answers few of the database metrics.
    static func isSystemDatabase(_ resource: ListedResource) -> Bool {
        resource.type.lowercased() == "microsoft.sql/servers/databases" && resource.name.lowercased().hasSuffix("/master")
    }
}
