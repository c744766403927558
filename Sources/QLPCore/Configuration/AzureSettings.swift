/// How qlp reaches Azure: the `azure` section of the config.
public struct AzureSettings: Sendable, Equatable {
    public var tenantID: String
    public var subscriptionID: String
    public var resourceGroup: String
    public var credential: AzureCredentialSource
    public var endpoints: AzureEndpoints
    /// Cost Management `api-version` for query calls.
    public var costManagementAPIVersion: String
    /// The Azure Monitor metrics the Monitor view polls.
    public var monitor: MonitorSettings

    public init(
        tenantID: String, subscriptionID: String, resourceGroup: String, credential: AzureCredentialSource,
        endpoints: AzureEndpoints = .publicCloud, costManagementAPIVersion: String = "2023-03-01",
        monitor: MonitorSettings = MonitorSettings()
    ) {
        self.tenantID = tenantID
        self.subscriptionID = subscriptionID
        self.resourceGroup = resourceGroup
        self.credential = credential
        self.endpoints = endpoints
        self.costManagementAPIVersion = costManagementAPIVersion
        self.monitor = monitor
    }

    /// The Cost Management scope qlp queries: the subscription.
    public var costScope: String { "subscriptions/\(subscriptionID)" }
}

/// Where Azure credentials come from.
public enum AzureCredentialSource: Sendable, Equatable {
    /// Environment, workload identity, managed identity, then the Azure CLI:
    /// the first that is available here (DefaultAzureCredential's order).
    case auto
    /// AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (and
    /// AZURE_AUTHORITY_HOST), read when a token is first needed, as the Azure SDKs do.
    case environment
    /// A service principal given in config (secret usually through ${ENV}).
    case clientSecret(clientID: String, secret: Secret)
    /// AKS workload identity: AZURE_FEDERATED_TOKEN_FILE (the service
    /// account token kubelet writes and rotates), AZURE_CLIENT_ID,
    /// AZURE_TENANT_ID and AZURE_AUTHORITY_HOST, as the webhook injects them.
    case workloadIdentity
    /// A service principal's certificate: AZURE_TENANT_ID, AZURE_CLIENT_ID and
    /// AZURE_CLIENT_CERTIFICATE_PATH (a PEM with the private key and the certificate).
    case certificate
    /// The machine's managed identity: App Service and Container Apps'
    /// IDENTITY_ENDPOINT when set, else IMDS; a client ID picks a user-assigned one.
    case managedIdentity(clientID: String?)
    /// The token of a logged-in `az`.
    case azureCLI

    /// The config word for it.
    public var name: String {
        switch self {
        case .auto: "auto"
        case .environment: "environment"
        case .clientSecret: "client_secret"
        case .workloadIdentity: "workload_identity"
        case .certificate: "certificate"
        case .managedIdentity: "managed_identity"
        case .azureCLI: "azure_cli"
        }
    }
}

/// Base URLs of the Azure services qlp calls. Overridable so the emulator (or
/// a sovereign cloud) can stand in.
public struct AzureEndpoints: Sendable, Equatable {
    /// Entra ID authority host, e.g. https://login.microsoftonline.com.
    public var authority: String
    /// Azure Resource Manager, e.g. https://management.azure.com.
    public var management: String
    /// The managed identity endpoint (IMDS).
    public var managedIdentity: String
    /// Where a vault named in a `keyvault://` reference lives; `{vault}` is
    /// replaced by its name. Other clouds use their suffix
    /// (https://{vault}.vault.azure.cn); a template without `{vault}` sends
    /// every vault to one address, which is how the emulator stands in.
    public var keyVault: String

    /// The Application Insights and Log Analytics query APIs.
    public var appInsights: String
    public var logAnalytics: String
    /// The regional metrics data plane that answers batch metric calls;
    /// `{region}` is replaced by the resources' region.
    public var metricsBatch: String

    public static let publicKeyVault = "https://{vault}.vault.azure.net"
    public static let publicAppInsights = "https://api.applicationinsights.io"
    public static let publicLogAnalytics = "https://api.loganalytics.io"
    public static let publicMetricsBatch = "https://{region}.metrics.monitor.azure.com"

    public init(
        authority: String, management: String, managedIdentity: String = "http://169.254.169.254",
        keyVault: String = AzureEndpoints.publicKeyVault, appInsights: String = AzureEndpoints.publicAppInsights,
        logAnalytics: String = AzureEndpoints.publicLogAnalytics, metricsBatch: String = AzureEndpoints.publicMetricsBatch
    ) {
        self.authority = Self.trimmed(authority)
        self.management = Self.trimmed(management)
        self.managedIdentity = Self.trimmed(managedIdentity)
        self.keyVault = Self.trimmed(keyVault)
        self.appInsights = Self.trimmed(appInsights)
        self.logAnalytics = Self.trimmed(logAnalytics)
        self.metricsBatch = Self.trimmed(metricsBatch)
    }

    /// The batch metrics endpoint for resources in `region` (uksouth).
    public func metricsBatchURL(region: String) -> String {
        metricsBatch.replacingOccurrences(of: "{region}", with: region.lowercased())
    }

    /// The base URL of the vault `name`.
    public func keyVaultURL(vault name: String) -> String {
        keyVault.replacingOccurrences(of: "{vault}", with: name.lowercased())
    }

    public static let publicCloud = AzureEndpoints(
        authority: "https://login.microsoftonline.com",
        management: "https://management.azure.com")

    /// The token scope for Resource Manager calls.
    public var managementScope: String { "https://management.azure.com/.default" }

    private static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}

/// Which Azure Monitor metrics to watch, and how often.
public struct MonitorSettings: Sendable, Equatable {
    public struct Resource: Sendable, Equatable {
        /// A display name ("AKS").
        public var name: String
        /// The full resource ID (/subscriptions/.../providers/...).
        public var id: String
        /// Metric names as Azure Monitor names them (node_cpu_usage_percentage).
        public var metrics: [String]
        /// A metric namespace for custom metrics (Application Insights: azure.applicationinsights).
        public var namespace: String?
        /// The Azure region the resource is in (uksouth), if not `MonitorSettings.region`.
        public var region: String?
        /// Average, Minimum, Maximum, Total or Count; nil: each metric's primary aggregation.
        public var aggregation: String?
        /// A dimension filter in Azure Monitor's syntax (`ApiName eq 'GetBlob'`):
        /// it selects one series; the view draws the first series Azure returns.
        public var filter: String?

        public static let aggregations = ["Average", "Minimum", "Maximum", "Total", "Count"]

        public init(
            name: String, id: String, metrics: [String], namespace: String? = nil, region: String? = nil,
            aggregation: String? = nil, filter: String? = nil
        ) {
            self.name = name
            self.id = id
            self.metrics = metrics
            self.namespace = namespace
            self.region = region
            self.aggregation = aggregation
            self.filter = filter
        }
    }

    /// A metric that is logged rather than emitted: a Kusto query against
    /// Application Insights or Log Analytics whose result has a datetime
    /// column and a numeric one, bucketed into a series on qlp's side.
    public struct LogMetric: Sendable, Equatable {
        public enum Source: Sendable, Equatable {
            case appInsights(appID: String)
            case logAnalytics(workspaceID: String)

            /// How the Monitor view labels the row's resource.
            public var label: String {
                switch self {
                case .appInsights: "App Insights logs"
                case .logAnalytics: "Log Analytics"
                }
            }
        }

        /// How points that fall in one bucket are combined.
        public enum Aggregation: String, Sendable, Equatable, CaseIterable {
            case average = "avg"
            case sum
            case minimum = "min"
            case maximum = "max"
            case count
        }

        public var name: String
        public var source: Source
        public var query: String
        public var unit: String
        public var aggregation: Aggregation
        /// The bucket width; the query's own grain (customMetrics are sent per 15 minutes) avoids gaps.
        public var grain: Duration

        public init(
            name: String, source: Source, query: String, unit: String = "", aggregation: Aggregation = .average,
            grain: Duration = .seconds(300)
        ) {
            self.name = name
            self.source = source
            self.query = query
            self.unit = unit
            self.aggregation = aggregation
            self.grain = grain
        }
    }

    public var interval: Duration
    public var resources: [Resource]
    public var logMetrics: [LogMetric]
    /// The region most resources are in. Resources with a known region that
    /// share a type and metric list are read through the batch API, up to 50
    /// a call, instead of one call each.
    public var region: String?
    /// Whether the resource group's resources are listed (hourly) and each of
    /// a known type watched with its default metrics; a resource also listed
    /// in `resources` keeps the metrics given there.
    public var discover: Bool

    public init(
        interval: Duration = .seconds(60), resources: [Resource] = [], logMetrics: [LogMetric] = [], region: String? = nil,
        discover: Bool = false
    ) {
        self.interval = interval
        self.resources = resources
        self.logMetrics = logMetrics
        self.region = region
        self.discover = discover
    }

    public var isEmpty: Bool { resources.isEmpty && logMetrics.isEmpty && !discover }
}
