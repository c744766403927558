import Foundation

/// One Azure resource in the emulated subscription whose Azure Monitor
/// metrics the emulator serves. Metric names, units and aggregations are the
/// ones Azure publishes for that resource type.
public struct EmulatedResource: Sendable, Equatable {
    /// The resource type as ARM writes it, e.g. "Microsoft.Cache/Redis" or
    /// "Microsoft.Sql/servers/databases".
    public var type: String
    /// The name path after the provider, e.g. "qlp-redis" or "qlp-sql/quantumlayer"
    /// (one name per type segment after the namespace).
    public var name: String
    public var resourceGroup: String
    public var region: String
    /// The Cost Management ServiceName this resource bills under; its
    /// incidents in the cost world are incidents in the metrics too.
    public var costService: String
    public var metrics: [EmulatedMetric]

    public init(
        type: String, name: String, resourceGroup: String = "quantumlayer-prod", region: String = "uksouth",
        costService: String, metrics: [EmulatedMetric]
    ) {
        self.type = type
        self.name = name
        self.resourceGroup = resourceGroup
        self.region = region
        self.costService = costService
        self.metrics = metrics
    }

    /// "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Sql/servers/qlp-sql/databases/quantumlayer".
    public func id(subscriptionID: String) -> String {
        let typeParts = type.split(separator: "/").map(String.init)
        let nameParts = name.split(separator: "/").map(String.init)
        var path = typeParts[0]
        for (i, part) in typeParts.dropFirst().enumerated() {
            path += "/\(part)/\(i < nameParts.count ? nameParts[i] : "")"
        }
        return "/subscriptions/\(subscriptionID)/resourceGroups/\(resourceGroup)/providers/\(path)"
    }

    /// Azure Monitor's default metric namespace for the resource: its type, lower-cased.
    public var defaultNamespace: String { type.lowercased() }

    /// The provider part ("microsoft.cache") and the type part ("redis") of error messages.
    var providerAndType: (provider: String, type: String) {
        let parts = type.lowercased().split(separator: "/").map(String.init)
        return (parts.first ?? "", parts.dropFirst().joined(separator: "/"))
    }

    /// Metrics in one namespace (nil: the default namespace).
    func metrics(inNamespace namespace: String?) -> [EmulatedMetric] {
        let wanted = (namespace ?? defaultNamespace).lowercased()
        return metrics.filter { ($0.namespace ?? defaultNamespace).lowercased() == wanted }
    }
}

/// A dimension of a metric and how the metric splits over its values.
public struct EmulatedDimension: Sendable, Equatable {
    public struct Value: Sendable, Equatable {
        public var name: String
        /// Share of a counter's total (the shares of a dimension add up to 1).
        public var share: Double
        /// Multiplier of a gauge's level for this value.
        public var level: Double

        public init(_ name: String, share: Double, level: Double = 1) {
            self.name = name
            self.share = share
            self.level = level
        }
    }

    public var name: String
    public var values: [Value]

    public init(_ name: String, _ values: [Value]) {
        self.name = name
        self.values = values
    }
}

/// One metric of a resource: what Azure Monitor's definitions say about it,
/// and how its values behave over a day.
public struct EmulatedMetric: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A level (percentages, counts of things, latencies): averaged over an interval.
        case gauge
        /// Events per minute (requests, tokens, executions): summed over an interval.
        case counter
    }

    public var name: String
    public var displayName: String
    public var displayDescription: String
    /// Azure's unit names: Count, Percent, Bytes, BytesPerSecond, MilliSeconds, Seconds, CountPerSecond, Unspecified.
    public var unit: String
    /// nil: the resource's own namespace; "azure.applicationinsights" for App Insights custom metrics.
    public var namespace: String?
    public var primaryAggregation: String
    public var supportedAggregations: [String]
    public var dimensions: [EmulatedDimension]
    public var kind: Kind
    /// The level of a gauge, or a counter's events per minute, at the day's average.
    public var base: Double
    /// Amplitude of the daily rhythm (0...1), peaking at 14:00 UTC.
    public var dailySwing: Double
    public var weekendFactor: Double
    /// Variation between 5-minute buckets, as a fraction.
    public var noise: Double
    /// Linear growth per day since the world's first day.
    public var dailyGrowth: Double
    /// Multiplier on the days the cost world has an incident in `incidentService`.
    public var incidentFactor: Double
    /// The Cost Management service whose incidents move this metric (the
    /// cost world's incidents are Azure AI Services ones: the platform's AI
    /// calls surge, and with them latency downstream).
    public var incidentService: String
    /// Whether `Count` counts events (App Insights requests, custom counters)
    /// rather than raw one-minute samples (platform metrics).
    public var countsEvents: Bool
    /// Upper bound for a gauge (100 for percentages).
    public var ceiling: Double?
    /// Whether values are whole numbers (counts of events or things).
    public var integral: Bool

    public init(
        _ name: String, displayName: String, description: String, unit: String, namespace: String? = nil,
        primary: String, supported: [String], dimensions: [EmulatedDimension] = [], kind: Kind, base: Double,
        dailySwing: Double = 0, weekendFactor: Double = 1, noise: Double = 0.05, dailyGrowth: Double = 0,
        incidentFactor: Double = 1, incidentService: String = "Azure AI Services", ceiling: Double? = nil,
        integral: Bool = false, countsEvents: Bool = false
    ) {
        self.name = name
        self.displayName = displayName
        self.displayDescription = description
        self.unit = unit
        self.namespace = namespace
        self.primaryAggregation = primary
        self.supportedAggregations = supported
        self.dimensions = dimensions
        self.kind = kind
        self.base = base
        self.dailySwing = dailySwing
        self.weekendFactor = weekendFactor
        self.noise = noise
        self.dailyGrowth = dailyGrowth
        self.incidentFactor = incidentFactor
        self.incidentService = incidentService
        self.countsEvents = countsEvents
        self.ceiling = ceiling
        self.integral = integral
    }

    func dimension(named name: String) -> EmulatedDimension? {
        dimensions.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }
}

extension EmulatedResource {
    static let avgMinMax = ["Average", "Minimum", "Maximum"]
    static let totalOnly = ["Total"]
    static let all = ["Average", "Minimum", "Maximum", "Total", "Count"]

    /// The QuantumLayer platform's resources (the seed's Terraform): AKS, Azure
    /// SQL, Redis, Front Door, Functions, Container Instances, Azure OpenAI and
    /// Application Insights, all in quantumlayer-prod, UK South (Front Door: global).
    public static let quantumLayerPlatform: [EmulatedResource] =
        [aks, sql, redis, frontDoor, functions] + containers + [openAI, appInsights]

    static let nodes = EmulatedDimension(
        "node",
        [
            .init("aks-system-28471635-vmss000000", share: 0.4, level: 1.15),
            .init("aks-user-28471635-vmss000000", share: 0.3, level: 0.95),
            .init("aks-user-28471635-vmss000001", share: 0.3, level: 0.9),
        ])
    static let nodePools = EmulatedDimension("nodepool", [.init("system", share: 0.4, level: 1.1), .init("user", share: 0.6, level: 0.93)])

    static func aksGauge(
        _ name: String, _ display: String, _ description: String, unit: String, base: Double, swing: Double = 0.25,
        noise: Double = 0.06, ceiling: Double? = nil, dimensions: [EmulatedDimension] = [nodes, nodePools],
        integral: Bool = false
    ) -> EmulatedMetric {
        EmulatedMetric(
            name, displayName: display, description: description, unit: unit, primary: "Average", supported: avgMinMax,
            dimensions: dimensions, kind: .gauge, base: base, dailySwing: swing, weekendFactor: 0.8, noise: noise,
            ceiling: ceiling, integral: integral)
    }

    static let aks = EmulatedResource(
        type: "Microsoft.ContainerService/managedClusters", name: "qlp-aks", costService: "Azure Kubernetes Service",
        metrics: [
            aksGauge(
                "node_cpu_usage_percentage", "CPU Usage Percentage",
                "Aggregated average CPU utilization measured in percentage across the cluster",
                unit: "Percent", base: 38, ceiling: 100),
            aksGauge(
                "node_cpu_usage_millicores", "CPU Usage Millicores",
                "Aggregated measurement of CPU utilization in millicores across the cluster",
                unit: "MilliCores", base: 2300),
            aksGauge(
                "node_memory_working_set_percentage", "Memory Working Set Percentage", "Container working set memory used in percent",
                unit: "Percent", base: 61, swing: 0.08, noise: 0.02, ceiling: 100),
            aksGauge(
                "node_memory_working_set_bytes", "Memory Working Set Bytes", "Container working set memory used in bytes",
                unit: "Bytes", base: 9.6e9, swing: 0.08, noise: 0.02),
            aksGauge(
                "node_memory_rss_percentage", "Memory RSS Percentage", "Container RSS memory used in percent",
                unit: "Percent", base: 44, swing: 0.08, noise: 0.02, ceiling: 100),
            aksGauge(
                "node_memory_rss_bytes", "Memory RSS Bytes", "Container RSS memory used in bytes", unit: "Bytes", base: 6.9e9,
                swing: 0.08, noise: 0.02),
            aksGauge(
                "node_disk_usage_percentage", "Disk Used Percentage", "Disk space used in percent by device",
                unit: "Percent", base: 27, swing: 0.01, noise: 0.01, ceiling: 100),
            aksGauge(
                "node_disk_usage_bytes", "Disk Used Bytes", "Disk space used in bytes by device", unit: "Bytes", base: 3.5e10,
                swing: 0.01, noise: 0.01),
            EmulatedMetric(
                "node_network_in_bytes", displayName: "Network In Bytes", description: "Network received bytes", unit: "Bytes",
                primary: "Average", supported: avgMinMax, dimensions: [nodes, nodePools], kind: .counter, base: 4.2e7,
                dailySwing: 0.5, weekendFactor: 0.5, noise: 0.2),
            EmulatedMetric(
                "node_network_out_bytes", displayName: "Network Out Bytes", description: "Network transmitted bytes", unit: "Bytes",
                primary: "Average", supported: avgMinMax, dimensions: [nodes, nodePools], kind: .counter, base: 3.1e7,
                dailySwing: 0.5, weekendFactor: 0.5, noise: 0.2),
            aksGauge(
                "kube_node_status_condition", "Statuses for various node conditions", "Statuses for various node conditions",
                unit: "Count", base: 3, swing: 0, noise: 0, dimensions: [nodes], integral: true),
            aksGauge(
                "kube_node_status_allocatable_cpu_cores", "Total number of available cpu cores in a managed cluster",
                "Total number of available cpu cores in a managed cluster", unit: "Count", base: 11.6, swing: 0, noise: 0,
                dimensions: [nodes]),
            aksGauge(
                "kube_node_status_allocatable_memory_bytes", "Total amount of available memory in a managed cluster",
                "Total amount of available memory in a managed cluster", unit: "Bytes", base: 4.3e10, swing: 0, noise: 0,
                dimensions: [nodes]),
            aksGauge(
                "kube_pod_status_ready", "Number of pods in Ready state", "Number of pods in Ready state", unit: "Count",
                base: 46, swing: 0.1, noise: 0.03,
                dimensions: [
                    EmulatedDimension(
                        "namespace",
                        [
                            .init("quantumlayer", share: 0.6, level: 0.6),
                            .init("kube-system", share: 0.3, level: 0.3),
                            .init("monitoring", share: 0.1, level: 0.1),
                        ])
                ],
                integral: true),
            aksGauge(
                "kube_pod_status_phase", "Number of pods by phase", "Number of pods by phase", unit: "Count", base: 48, swing: 0.1,
                noise: 0.03,
                dimensions: [
                    EmulatedDimension(
                        "phase",
                        [
                            .init("Running", share: 0.96, level: 0.96), .init("Pending", share: 0.03, level: 0.03),
                            .init("Failed", share: 0.01, level: 0.01),
                        ])
                ],
                integral: true),
            aksGauge(
                "cluster_autoscaler_unneeded_nodes_count", "Cluster Autoscaler Unneeded Nodes",
                "Number of nodes the cluster autoscaler marks unneeded",
                unit: "Count", base: 0.4, swing: 1, noise: 0.5, dimensions: [], integral: true),
            aksGauge(
                "cluster_autoscaler_unschedulable_pods_count", "Cluster Autoscaler Unschedulable Pods",
                "Number of pods that are currently unschedulable in the cluster",
                unit: "Count", base: 0.2, swing: 1, noise: 0.5, dimensions: [], integral: true),
            aksGauge(
                "cluster_autoscaler_cluster_safe_to_autoscale", "Cluster Health",
                "Determines whether or not cluster autoscaler will take action on the cluster",
                unit: "Count", base: 1, swing: 0, noise: 0, dimensions: [], integral: true),
            aksGauge(
                "cluster_autoscaler_scale_down_in_cooldown", "Scale Down Cooldown", "Determines if the scale down is in cooldown",
                unit: "Count", base: 0, swing: 0, noise: 0, dimensions: [], integral: true),
            aksGauge(
                "apiserver_current_inflight_requests", "Inflight Requests",
                "Maximum number of currently active inflight requests on the API Server per request kind",
                unit: "Count", base: 7, swing: 0.3, noise: 0.3,
                dimensions: [
                    EmulatedDimension(
                        "requestKind", [.init("readOnly", share: 0.8, level: 0.8), .init("mutating", share: 0.2, level: 0.2)])
                ],
                integral: true),
            aksGauge(
                "apiserver_cpu_usage_percentage", "API Server (PREVIEW) CPU Usage Percentage",
                "Maximum CPU percentage (based off current limit) used by API server pod across instances",
                unit: "Percent", base: 9, noise: 0.2, ceiling: 100, dimensions: []),
            aksGauge(
                "apiserver_memory_usage_percentage", "API Server (PREVIEW) Memory Usage Percentage",
                "Maximum memory percentage (based off current limit) used by API server pod across instances",
                unit: "Percent", base: 23, swing: 0.05, ceiling: 100, dimensions: []),
            aksGauge(
                "etcd_cpu_usage_percentage", "ETCD (PREVIEW) CPU Usage Percentage",
                "Maximum CPU percentage (based off current limit) used by ETCD pod across instances",
                unit: "Percent", base: 4, noise: 0.2, ceiling: 100, dimensions: []),
            aksGauge(
                "etcd_memory_usage_percentage", "ETCD (PREVIEW) Memory Usage Percentage",
                "Maximum memory percentage (based off current limit) used by ETCD pod across instances",
                unit: "Percent", base: 12, swing: 0.05, ceiling: 100, dimensions: []),
            aksGauge(
                "etcd_database_usage_percentage", "ETCD (PREVIEW) Database Usage Percentage",
                "Maximum utilization of the ETCD database across instances",
                unit: "Percent", base: 6, swing: 0, noise: 0.01, ceiling: 100, dimensions: []),
        ])

    static let sql = EmulatedResource(
        type: "Microsoft.Sql/servers/databases", name: "qlp-sql/quantumlayer", costService: "SQL Database",
        metrics: [
            EmulatedMetric(
                "cpu_percent", displayName: "CPU percentage", description: "CPU percentage", unit: "Percent",
                primary: "Average", supported: avgMinMax, kind: .gauge, base: 21, dailySwing: 0.6, weekendFactor: 0.5,
                noise: 0.2, ceiling: 100),
            EmulatedMetric(
                "dtu_consumption_percent", displayName: "DTU percentage", description: "DTU Percentage. Applies to DTU-based databases.",
                unit: "Percent", primary: "Average", supported: avgMinMax, kind: .gauge, base: 26, dailySwing: 0.6,
                weekendFactor: 0.5, noise: 0.2, ceiling: 100),
            EmulatedMetric(
                "storage_percent", displayName: "Data space used percent", description: "Data space used percent",
                unit: "Percent", primary: "Maximum", supported: ["Maximum"], kind: .gauge, base: 31, noise: 0.002,
                dailyGrowth: 0.002, ceiling: 100),
            EmulatedMetric(
                "connection_successful", displayName: "Successful Connections", description: "Successful Connections",
                unit: "Count", primary: "Total", supported: ["Total", "Count"], kind: .counter, base: 14, dailySwing: 0.6,
                weekendFactor: 0.4, noise: 0.25, integral: true),
            EmulatedMetric(
                "connection_failed", displayName: "Failed Connections : System Errors", description: "Failed Connections",
                unit: "Count", primary: "Total", supported: ["Total", "Count"], kind: .counter, base: 0.02, noise: 0.9,
                integral: true),
            EmulatedMetric(
                "deadlock", displayName: "Deadlocks", description: "Deadlocks. Not applicable to data warehouses.",
                unit: "Count", primary: "Total", supported: ["Total", "Count"], kind: .counter, base: 0.001, noise: 0.9,
                integral: true),
        ])

    static let redis = EmulatedResource(
        type: "Microsoft.Cache/Redis", name: "qlp-redis", costService: "Redis Cache",
        metrics: [
            EmulatedMetric(
                "usedmemorypercentage", displayName: "Used Memory Percentage",
                description: "The percentage of cache memory used for key/value pairs. For more details, see https://aka.ms/redis/metrics.",
                unit: "Percent", primary: "Maximum", supported: avgMinMax, kind: .gauge, base: 34, dailySwing: 0.1,
                noise: 0.03, dailyGrowth: 0.003, ceiling: 100),
            EmulatedMetric(
                "serverLoad", displayName: "Server Load",
                description:
                    "The percentage of CPU cycles in which the Redis server is busy processing and not waiting idle for messages. For more details, see https://aka.ms/redis/metrics.",
                unit: "Percent", primary: "Maximum", supported: avgMinMax, kind: .gauge, base: 11, dailySwing: 0.5,
                weekendFactor: 0.6, noise: 0.25, incidentFactor: 1.8, ceiling: 100),
            EmulatedMetric(
                "connectedclients", displayName: "Connected Clients",
                description: "The number of client connections to the cache. For more details, see https://aka.ms/redis/metrics.",
                unit: "Count", primary: "Maximum", supported: avgMinMax, kind: .gauge, base: 24, dailySwing: 0.3,
                weekendFactor: 0.7, noise: 0.1, integral: true),
            EmulatedMetric(
                "cachehits", displayName: "Cache Hits",
                description: "The number of successful key lookups. For more details, see https://aka.ms/redis/metrics.",
                unit: "Count", primary: "Total", supported: ["Total"], kind: .counter, base: 2600, dailySwing: 0.6,
                weekendFactor: 0.45, noise: 0.2, incidentFactor: 1.6, integral: true),
            EmulatedMetric(
                "cachemisses", displayName: "Cache Misses",
                description: "The number of failed key lookups. For more details, see https://aka.ms/redis/metrics.",
                unit: "Count", primary: "Total", supported: ["Total"], kind: .counter, base: 190, dailySwing: 0.6,
                weekendFactor: 0.45, noise: 0.3, integral: true),
            EmulatedMetric(
                "cacheWrite", displayName: "Cache Write",
                description:
                    "The amount of data written to the cache in bytes per second. For more details, see https://aka.ms/redis/metrics.",
                unit: "BytesPerSecond", primary: "Maximum", supported: avgMinMax, kind: .gauge, base: 21_000, dailySwing: 0.6,
                weekendFactor: 0.45, noise: 0.3),
            EmulatedMetric(
                "percentProcessorTime", displayName: "CPU",
                description:
                    "The CPU utilization of the Azure Cache for Redis server as a percentage. For more details, see https://aka.ms/redis/metrics.",
                unit: "Percent", primary: "Maximum", supported: avgMinMax, kind: .gauge, base: 14, dailySwing: 0.5,
                weekendFactor: 0.6, noise: 0.2, incidentFactor: 1.7, ceiling: 100),
        ])

    static let statusGroups = EmulatedDimension(
        "HttpStatusGroup",
        [
            .init("2XX", share: 0.952), .init("3XX", share: 0.011), .init("4XX", share: 0.031), .init("5XX", share: 0.006),
        ])

    static let frontDoor = EmulatedResource(
        type: "Microsoft.Cdn/profiles", name: "qlp-frontdoor", region: "global", costService: "Azure Front Door Service",
        metrics: [
            EmulatedMetric(
                "RequestCount", displayName: "Request Count",
                description: "The number of client requests served by the HTTP/S proxy", unit: "Count", primary: "Total",
                supported: totalOnly, dimensions: [statusGroups], kind: .counter, base: 950, dailySwing: 0.65,
                weekendFactor: 0.55, noise: 0.15, dailyGrowth: 0.004, integral: true),
            EmulatedMetric(
                "TotalLatency", displayName: "Total Latency",
                description:
                    "The time calculated from when the client request was received by the HTTP/S proxy until the client acknowledged the last response byte from the HTTP/S proxy",
                unit: "MilliSeconds", primary: "Average", supported: avgMinMax, kind: .gauge, base: 142, dailySwing: 0.15,
                noise: 0.2, incidentFactor: 1.7),
            EmulatedMetric(
                "OriginLatency", displayName: "Origin Latency",
                description:
                    "The time calculated from when the request was sent by AFDX edge to the backend until AFDX received the last response byte from the backend",
                unit: "MilliSeconds", primary: "Average", supported: avgMinMax, kind: .gauge, base: 118, dailySwing: 0.15,
                noise: 0.2, incidentFactor: 1.8),
            EmulatedMetric(
                "Percentage4XX", displayName: "Percentage of 4XX",
                description: "The percentage of all the client requests for which the response status code is 4XX",
                unit: "Percent", primary: "Average", supported: avgMinMax, kind: .gauge, base: 3.1, noise: 0.3, ceiling: 100),
            EmulatedMetric(
                "Percentage5XX", displayName: "Percentage of 5XX",
                description: "The percentage of all the client requests for which the response status code is 5XX",
                unit: "Percent", primary: "Average", supported: avgMinMax, kind: .gauge, base: 0.6, noise: 0.5,
                incidentFactor: 2.5, ceiling: 100),
            EmulatedMetric(
                "OriginHealthPercentage", displayName: "Origin Health Percentage",
                description: "The percentage of successful health probes from AFDX to backends", unit: "Percent",
                primary: "Average", supported: avgMinMax, kind: .gauge, base: 99.7, noise: 0.002, ceiling: 100),
        ])

    static let functions = EmulatedResource(
        type: "Microsoft.Web/sites", name: "qlp-functions", costService: "Functions",
        metrics: [
            EmulatedMetric(
                "FunctionExecutionCount", displayName: "Function Execution Count", description: "Function Execution Count",
                unit: "Count", primary: "Total", supported: ["Total", "Count"], kind: .counter, base: 36, dailySwing: 0.5,
                weekendFactor: 0.5, noise: 0.4, integral: true),
            EmulatedMetric(
                "FunctionExecutionUnits", displayName: "Function Execution Units",
                description: "Function Execution Units, measured in MB-milliseconds", unit: "Count", primary: "Total",
                supported: ["Total", "Count"], kind: .counter, base: 1_150_000, dailySwing: 0.5, weekendFactor: 0.5,
                noise: 0.4, integral: true),
            EmulatedMetric(
                "Requests", displayName: "Requests",
                description: "The total number of requests regardless of their resulting HTTP status code.",
                unit: "Count", primary: "Total", supported: ["Total", "Count"], kind: .counter, base: 22, dailySwing: 0.5,
                weekendFactor: 0.5, noise: 0.4, integral: true),
            EmulatedMetric(
                "Http5xx", displayName: "Http Server Errors",
                description: "The count of requests resulting in an HTTP status code >= 500 but < 600.", unit: "Count",
                primary: "Total", supported: ["Total", "Count"], kind: .counter, base: 0.05, noise: 0.9, integral: true),
            EmulatedMetric(
                "HttpResponseTime", displayName: "Response Time",
                description: "The time taken for the app to serve requests, in seconds.", unit: "Seconds", primary: "Average",
                supported: avgMinMax, kind: .gauge, base: 0.31, dailySwing: 0.1, noise: 0.3),
        ])

    /// Container Instances groups: the platform's workers, the sandboxes that
    /// run generated projects, and the builder (one namespace, for batch calls).
    public static func containerGroup(_ name: String, scale: Double) -> EmulatedResource {
        EmulatedResource(
            type: "Microsoft.ContainerInstance/containerGroups", name: name, costService: "Container Instances",
            metrics: [
                EmulatedMetric(
                    "CpuUsage", displayName: "CPU Usage",
                    description: "CPU usage on all cores in millicores.", unit: "Count", primary: "Average",
                    supported: avgMinMax, kind: .gauge, base: 410 * scale, dailySwing: 0.5, weekendFactor: 0.3, noise: 0.3),
                EmulatedMetric(
                    "MemoryUsage", displayName: "Memory Usage", description: "Total memory usage in byte.", unit: "Bytes",
                    primary: "Average", supported: avgMinMax, kind: .gauge, base: 7.4e8 * scale, dailySwing: 0.2, noise: 0.05),
                EmulatedMetric(
                    "NetworkBytesReceivedPerSecond", displayName: "Network Bytes Received Per Second",
                    description: "The network bytes received per second.", unit: "Bytes", primary: "Average",
                    supported: avgMinMax, kind: .gauge, base: 52_000 * scale, dailySwing: 0.5, weekendFactor: 0.3, noise: 0.3),
                EmulatedMetric(
                    "NetworkBytesTransmittedPerSecond", displayName: "Network Bytes Transmitted Per Second",
                    description: "The network bytes transmitted per second.", unit: "Bytes", primary: "Average",
                    supported: avgMinMax, kind: .gauge, base: 31_000 * scale, dailySwing: 0.5, weekendFactor: 0.3, noise: 0.3),
            ])
    }

    static let containers = [
        containerGroup("qlp-workers", scale: 1), containerGroup("qlp-sandbox", scale: 0.6),
        containerGroup("qlp-builder", scale: 1.7),
    ]

    static let deployments = EmulatedDimension(
        "ModelDeploymentName",
        [
            .init("gpt-4-turbo", share: 0.32, level: 1.45), .init("gpt-35-turbo", share: 0.68, level: 0.72),
        ])
    static let models = EmulatedDimension(
        "ModelName",
        [
            .init("gpt-4", share: 0.32, level: 1.45), .init("gpt-35-turbo", share: 0.68, level: 0.72),
        ])

    static let openAI = EmulatedResource(
        type: "Microsoft.CognitiveServices/accounts", name: "qlp-openai", costService: "Azure AI Services",
        metrics: [
            EmulatedMetric(
                "AzureOpenAIRequests", displayName: "Azure OpenAI Requests",
                description:
                    "Number of calls made to the Azure OpenAI API over a period of time. Applies to PTU, PTU-Managed and Pay-as-you-go deployments.",
                unit: "Count", primary: "Total", supported: totalOnly,
                dimensions: [
                    deployments, models,
                    EmulatedDimension(
                        "StatusCode",
                        [
                            .init("200", share: 0.985), .init("429", share: 0.011),
                            .init("500", share: 0.004),
                        ]),
                ],
                kind: .counter, base: 5.2, dailySwing: 0.7, weekendFactor: 0.35, noise: 0.25, dailyGrowth: 0.006,
                incidentFactor: 2.6, integral: true),
            EmulatedMetric(
                "ProcessedPromptTokens", displayName: "Processed Prompt Tokens",
                description:
                    "Number of prompt tokens processed (input) on an OpenAI model. Applies to PTU, PTU-Managed and Pay-as-you-go deployments.",
                unit: "Count", primary: "Total", supported: totalOnly, dimensions: [deployments, models], kind: .counter,
                base: 4_900, dailySwing: 0.7, weekendFactor: 0.35, noise: 0.3, dailyGrowth: 0.006, incidentFactor: 2.6,
                integral: true),
            EmulatedMetric(
                "GeneratedTokens", displayName: "Generated Completion Tokens",
                description:
                    "Number of tokens generated (output) from an Azure OpenAI model. Applies to PTU, PTU-Managed and Pay-as-you-go deployments.",
                unit: "Count", primary: "Total", supported: totalOnly, dimensions: [deployments, models], kind: .counter,
                base: 1_850, dailySwing: 0.7, weekendFactor: 0.35, noise: 0.3, dailyGrowth: 0.006, incidentFactor: 2.6,
                integral: true),
            EmulatedMetric(
                "TokenTransaction", displayName: "Processed Inference Tokens",
                description:
                    "Number of inference tokens processed on an OpenAI model. Calculated as prompt tokens (input) plus generated tokens (output). Applies to PTU, PTU-Managed and Pay-as-you-go deployments.",
                unit: "Count", primary: "Total", supported: totalOnly, dimensions: [deployments, models], kind: .counter,
                base: 6_750, dailySwing: 0.7, weekendFactor: 0.35, noise: 0.3, dailyGrowth: 0.006, incidentFactor: 2.6,
                integral: true),
            EmulatedMetric(
                "AzureOpenAITimeToResponse", displayName: "Time to Response",
                description:
                    "Recommended latency (responsiveness) measure for streaming requests. Applies to PTU and PTU-managed deployments. Calculated as time taken for the first response to appear after a user sends a prompt, as measured by the API gateway.",
                unit: "MilliSeconds", primary: "Average", supported: avgMinMax, dimensions: [deployments, models],
                kind: .gauge, base: 820, dailySwing: 0.2, noise: 0.25, incidentFactor: 1.9),
            EmulatedMetric(
                "AzureOpenAIAvailabilityRate", displayName: "Availability Rate",
                description: "Availability percentage with the following calculation: (Total Calls - Server Errors)/Total Calls.",
                unit: "Percent", primary: "Average", supported: avgMinMax, dimensions: [deployments], kind: .gauge,
                base: 99.6, noise: 0.003, incidentFactor: 0.985, ceiling: 100),
            // A legacy "Cognitive Services - HTTP Requests" metric, common to every AI services account.
            EmulatedMetric(
                "TotalErrors", displayName: "Total Errors",
                description: "Total number of calls with error response (HTTP response code 4xx or 5xx).",
                unit: "Count", primary: "Total", supported: totalOnly, kind: .counter, base: 0.08, dailySwing: 0.7,
                weekendFactor: 0.35, noise: 0.6, incidentFactor: 6, integral: true),
        ])

    static let operations = EmulatedDimension(
        "operation/name",
        [
            .init("POST /api/projects", share: 0.16, level: 1.3), .init("GET /api/projects", share: 0.35, level: 0.45),
            .init("POST /api/deployments", share: 0.07, level: 2.4), .init("POST /api/generate", share: 0.23, level: 2.1),
            .init("GET /healthz", share: 0.19, level: 0.08),
        ])
    static let success = EmulatedDimension(
        "request/success", [.init("true", share: 0.987, level: 0.97), .init("false", share: 0.013, level: 3.2)])
    static let custom = "azure.applicationinsights"

    static let appInsights = EmulatedResource(
        type: "Microsoft.Insights/components", name: "qlp-appinsights", costService: "Application Insights",
        metrics: [
            EmulatedMetric(
                "requests/count", displayName: "Server requests", description: "Count HTTP requests completed.",
                unit: "Count", primary: "Count", supported: ["Count"], dimensions: [operations, success], kind: .counter,
                base: 31, dailySwing: 0.65, weekendFactor: 0.45, noise: 0.2, dailyGrowth: 0.004, integral: true,
                countsEvents: true),
            EmulatedMetric(
                "requests/duration", displayName: "Server response time",
                description: "Time between receiving an HTTP request and finishing sending the response.",
                unit: "MilliSeconds", primary: "Average", supported: ["Average", "Minimum", "Maximum", "Count"],
                dimensions: [operations, success], kind: .gauge, base: 240, dailySwing: 0.15, noise: 0.25,
                incidentFactor: 1.7),
            EmulatedMetric(
                "requests/failed", displayName: "Failed requests",
                description: "Count of HTTP requests marked as failed.", unit: "Count", primary: "Count",
                supported: ["Count"], dimensions: [operations], kind: .counter, base: 0.4, dailySwing: 0.65,
                weekendFactor: 0.45, noise: 0.5, incidentFactor: 2.2, integral: true, countsEvents: true),
            EmulatedMetric(
                "exceptions/count", displayName: "Exceptions", description: "Combined count of all uncaught exceptions.",
                unit: "Count", primary: "Count", supported: ["Count"], kind: .counter, base: 0.7, dailySwing: 0.5,
                noise: 0.5, incidentFactor: 2.0, integral: true, countsEvents: true),
            EmulatedMetric(
                "dependencies/duration", displayName: "Dependency duration",
                description: "Duration of calls made by the application to external resources.", unit: "MilliSeconds",
                primary: "Average", supported: ["Average", "Minimum", "Maximum", "Count"], kind: .gauge, base: 95,
                dailySwing: 0.1, noise: 0.25, incidentFactor: 2.1),
            // The platform's own custom metrics (seed: projects_created_total,
            // deployment_success_rate, ai_model_response_time).
            EmulatedMetric(
                "projects_created_total", displayName: "projects_created_total", description: "", unit: "Count",
                namespace: custom, primary: "Total", supported: ["Average", "Minimum", "Maximum", "Total", "Count"],
                kind: .counter, base: 0.35, dailySwing: 0.8, weekendFactor: 0.3, noise: 0.5, dailyGrowth: 0.005,
                integral: true, countsEvents: true),
            EmulatedMetric(
                "deployment_success_rate", displayName: "deployment_success_rate", description: "", unit: "Percent",
                namespace: custom, primary: "Average", supported: ["Average", "Minimum", "Maximum", "Total", "Count"],
                kind: .gauge, base: 97.2, noise: 0.015, incidentFactor: 0.96, ceiling: 100),
            EmulatedMetric(
                "ai_model_response_time", displayName: "ai_model_response_time", description: "", unit: "MilliSeconds",
                namespace: custom, primary: "Average", supported: ["Average", "Minimum", "Maximum", "Total", "Count"],
                dimensions: [
                    EmulatedDimension(
                        "model",
                        [
                            .init("gpt-4-turbo", share: 0.32, level: 1.45),
                            .init("gpt-35-turbo", share: 0.68, level: 0.72),
                        ])
                ],
                kind: .gauge, base: 1_450, dailySwing: 0.2, noise: 0.25, incidentFactor: 1.9),
        ])
}
