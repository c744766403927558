/// The whole configuration file as one value.
public struct QLPConfiguration: Sendable, Equatable {
    /// Absent only when loading for the demo, which brings its own.
    public var azure: AzureSettings?
    public var budget: BudgetPlan
    public var azureOpenAI: AzureOpenAISettings?
    public var ollama: OllamaSettings?
    public var mongodbAtlas: MongoDBAtlasSettings?
    public var routing: RoutingSettings?
    public var dashboard: DashboardSettings
    /// Defaults when the file has no `gateway` section.
    public var gateway: GatewaySettings
    /// Where alerts are sent; no sinks when the file has no `notifications` section.
    public var notifications: NotificationSettings = NotificationSettings()
    /// Replicas sharing one route table on Redis; nil: this gateway keeps its own in SQLite.
    public var fleet: FleetSettings?
    /// Things allowed but said out loud, located like errors
    /// ("file:line:col: key: message"); whoever loads the file shows them.
    public var warnings: [String] = []
    /// In a demo run, where the azure section is not read (the emulator's
    /// tenant, endpoints and resources replace it): its monitor.discover, so
    /// `qlp demo` fills the Monitor view from the emulator's listing as a real
    /// run would from Azure's.
    public var demoMonitorDiscovery = false

    public init(
        azure: AzureSettings?, budget: BudgetPlan, azureOpenAI: AzureOpenAISettings?, ollama: OllamaSettings?,
        mongodbAtlas: MongoDBAtlasSettings?, routing: RoutingSettings?, dashboard: DashboardSettings,
        gateway: GatewaySettings = GatewaySettings()
    ) {
        self.azure = azure
        self.budget = budget
        self.azureOpenAI = azureOpenAI
        self.ollama = ollama
        self.mongodbAtlas = mongodbAtlas
        self.routing = routing
        self.dashboard = dashboard
        self.gateway = gateway
    }
}
