import Foundation
import QLPAzure
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPGateway
import QLPGatewayFeed
import QLPHTTP
import QLPRouting
import QLPStore

/// The embedded emulator with the real client stack pointed at it: what
/// `qlp demo` and `qlp report --demo` run on.
struct DemoWorld {
    let emulator: AzureEmulator
    let plan: BudgetPlan
    let azure: AzureSettings
    let transport: CurlTransport
    let credential: ClientSecretCredential
    let timeout: Duration

    /// GBP per USD when the config sets none (demo only).
    static let demoUSDRate = Decimal(string: "0.79")!

    /// The emulator's MongoDB Atlas organisation and key.
    var atlasSettings: AtlasAdminAPISettings {
        let c = emulator.configuration
        return AtlasAdminAPISettings(
            orgID: c.atlasOrgID, publicKey: c.atlasPublicKey, privateKey: Secret(c.atlasPrivateKey),
            baseURL: azure.endpoints.management)
    }

    /// The emulator has no Cost Management quota to protect; polling every few
    /// seconds must not run into the real one's budget.
    static let throttling = ThrottlingPolicy(costManagementBudgetPerMinute: 600)

    /// Starts the emulator. The credit period is moved to start on the first
    /// of last month, so there is always a month or more of history. With
    /// `routing`, Azure OpenAI's cost is that of the emulated gateway traffic
    /// at those routes' weights and targets' prices (`traffic`), from which the
    /// demo's usage ledger is filled; without, it is the synthetic series.
    static func start(
        plan configured: BudgetPlan, now: Date, seed: UInt64 = 42, port: Int = 0,
        faults: [EmulatedEndpoint: EndpointFault] = [:], pageSize: Int = 1000,
        timeout: Duration = .seconds(10), routing: RoutingSettings? = nil,
        azureOpenAI: AzureOpenAISettings? = nil, federatedTokenFile: String? = nil
    ) async throws -> DemoWorld {
        let today = CivilDate(now, in: TimeZone(identifier: "UTC")!)
        let firstDay = today.firstOfMonth.adding(months: -1)
        var plan = configured
        let creditLength = plan.creditPeriod.first.days(to: plan.creditPeriod.last)
        plan.creditPeriod = DayRange(firstDay, firstDay.adding(days: creditLength))!
        // Atlas bills in US dollars; without a configured rate the demo uses
        // one of its own, and the screen prints it next to every Atlas figure.
        if plan.exchangeRates["USD"] == nil, plan.currency != .usd { plan.exchangeRates["USD"] = Self.demoUSDRate }
        if let atlas = plan.atlasCredits {
            plan.atlasCredits = CreditGrant(
                amount: atlas.amount, period: DayRange(firstDay, firstDay.adding(days: atlas.period.count - 1))!)
        }
        // The demo's Azure budget is the config's monthly budget, as it would be set in Azure.
        let traffic = routing.map { TrafficWorld(seed: seed, firstDay: firstDay, routing: $0, azureOpenAI: azureOpenAI) }
        let world = CostWorld(
            seed: seed, currency: plan.currency, firstDay: firstDay,
            budgets: [.quantumLayerMonthly(amount: plan.monthly.amount, thresholds: plan.monthly.alertThresholds)],
            traffic: traffic)
        var configuration = EmulatorConfiguration(world: world, costPageSize: pageSize)
        configuration.federatedTokenFile = federatedTokenFile
        let emulator = AzureEmulator(configuration: configuration, faults: FaultBoard(faults))
        let base: String
        do {
            base = try await emulator.start(port: port)
        } catch {
            throw CommandFailure.exit("\(error)")
        }
        let azure = AzureSettings(
            tenantID: configuration.tenantID, subscriptionID: configuration.subscriptionID,
            resourceGroup: "quantumlayer-prod",
            credential: .clientSecret(clientID: configuration.clientID, secret: Secret(configuration.clientSecret)),
            endpoints: AzureEndpoints(
                authority: base, management: base, keyVault: base, appInsights: base,
                logAnalytics: base, metricsBatch: base))
        let transport = CurlTransport()
        let credential = ClientSecretCredential(
            authority: base, tenantID: configuration.tenantID, clientID: configuration.clientID,
            clientSecret: Secret(configuration.clientSecret), transport: transport, timeout: timeout)
        return DemoWorld(emulator: emulator, plan: plan, azure: azure, transport: transport, credential: credential, timeout: timeout)
    }

    /// `environment` as a pod on the emulator's cluster would see it: Entra ID
    /// is the emulator (AZURE_AUTHORITY_HOST), and the tenant and client
    /// default to the emulator's app registration.
    func emulatedIdentityEnvironment(_ environment: [String: String]) -> [String: String] {
        var result = environment
        result["AZURE_AUTHORITY_HOST"] = azure.endpoints.authority
        if (result["AZURE_TENANT_ID"] ?? "").isEmpty { result["AZURE_TENANT_ID"] = emulator.configuration.tenantID }
        if (result["AZURE_CLIENT_ID"] ?? "").isEmpty { result["AZURE_CLIENT_ID"] = emulator.configuration.clientID }
        return result
    }

    /// The emulated gateway traffic Azure OpenAI bills, when started with routing:
    /// `traffic.fill(ledger, from:to:)` writes its requests into a usage ledger.
    var traffic: TrafficWorld? { emulator.configuration.world.traffic }

    /// Brings the demo's usage ledger (`demo-usage.sqlite`) up to `now` with
    /// the traffic Azure OpenAI billed, the same requests the emulator's cost
    /// comes from (only the part not written before: a first run writes the
    /// whole history, a few seconds). Returns the ledger; nil without routing.
    func fillUsageLedger(stateDirectory: String, now: Date) throws(StoreError) -> SQLiteUsageLedger? {
        guard let traffic else { return nil }
        let ledger = try SQLiteUsageLedger(path: AccountingFiles.usagePath(stateDirectory: stateDirectory, demo: true), now: now)
        try traffic.fill(ledger, from: traffic.firstDay.startInstant(in: TimeZone(identifier: "UTC")!), to: now)
        return ledger
    }

    /// The demo's keys in `demo-keys.sqlite`, ready for the demo's own traffic.
    func prepareKeys(stateDirectory: String, now: Date) throws(KeyStoreError) -> [DemoKeys.Client] {
        guard let traffic else { return [] }
        let store: SQLiteKeyStore
        do {
            store = try SQLiteKeyStore(path: AccountingFiles.keysPath(stateDirectory: stateDirectory, demo: true))
        } catch {
            throw .store(error)
        }
        return try DemoKeys.prepare(store: store, clients: traffic.keys, now: now)
    }

    /// Azure Monitor metrics to watch in the demo: the first few metrics of
    /// each emulated resource (in its default namespace), and the platform's
    /// custom metrics as they are logged, through log queries. With
    /// `discover` (the config's azure.monitor.discover), no resources are
    /// listed: they come from the emulator's listing of the resource group.
    func monitorSettings(discover: Bool = false) -> MonitorSettings {
        let subscription = emulator.configuration.subscriptionID
        let logMetrics = Self.logMetrics(
            appID: emulator.configuration.appInsightsAppID,
            workspaceID: emulator.configuration.logAnalyticsWorkspaceID)
        if discover { return MonitorSettings(interval: .seconds(15), logMetrics: logMetrics, discover: true) }
        return MonitorSettings(
            interval: .seconds(15),
            resources: emulator.configuration.resources.map { resource in
                let names = resource.metrics.filter { $0.namespace == nil }.prefix(3).map(\.name)
                return MonitorSettings.Resource(
                    name: resource.name, id: resource.id(subscriptionID: subscription), metrics: Array(names),
                    region: resource.region)
            }, logMetrics: logMetrics)
    }

    /// The seed's custom metrics, as an operator would write them in azure.monitor.log_metrics.
    static func logMetrics(appID: String, workspaceID: String) -> [MonitorSettings.LogMetric] {
        func custom(_ name: String, unit: String, _ aggregation: MonitorSettings.LogMetric.Aggregation) -> MonitorSettings.LogMetric {
            // The SDKs send custom metrics pre-aggregated per 15 minutes.
            MonitorSettings.LogMetric(
                name: name, source: .appInsights(appID: appID),
                query: "customMetrics | where name == '\(name)' | project timestamp, value", unit: unit,
                aggregation: aggregation, grain: .seconds(900))
        }
        return [
            custom("ai_model_response_time", unit: "MilliSeconds", .average),
            custom("deployment_success_rate", unit: "Percent", .average),
            custom("projects_created_total", unit: "Count", .sum),
            MonitorSettings.LogMetric(
                name: "request duration", source: .logAnalytics(workspaceID: workspaceID),
                query: "AppRequests | project TimeGenerated, DurationMs", unit: "MilliSeconds",
                aggregation: .average, grain: .seconds(600)),
        ]
    }

    /// The endpoint the demo's route table gives every target. The emulator
    /// listens on a new port each run; written into the table, that port made
    /// each restart a "config file edited: targets redefined" in the audit.
    /// The table keeps this name (`.invalid` never resolves, should it leak)
    /// and the gateway sends to the emulator's address of the day.
    static let emulatorStandIn = "http://emulator.qlp-demo.invalid"

    /// The config's routes on the emulator's Azure OpenAI deployments and
    /// Ollama models, with demo traffic of its own; nil without a routing
    /// section. The admin API takes `adminToken`, the demo's own (never the
    /// config's, which may be a real gateway's secret: the demo shows its token).
    func gateway(
        for config: QLPConfiguration, port: Int, adminPort: Int, adminToken: Secret,
        clients: [DemoKeys.Client] = []
    ) -> EmbeddedGateway? {
        guard let reached = upstream(for: config) else { return nil }
        var settings = config.gateway
        settings.port = port
        settings.adminPort = adminPort
        settings.adminToken = adminToken
        return EmbeddedGateway(
            configTable: reached.table,
            databasePath: config.dashboard.stateDirectory + "/demo-routes.sqlite", settings: settings,
            upstream: reached.upstream, demoClients: clients, kind: .demo,
            stateDirectory: config.dashboard.stateDirectory, accounting: AccountingFiles(config, demo: true))
    }

    /// The demo gateway's targets and how it reaches them: the config's routes
    /// sent to the emulator (its stand-in endpoint, its key, or its Entra ID
    /// with auth: entra). Shared by the demo's gateway and `qlp doctor --demo`.
    func upstream(for config: QLPConfiguration) -> (table: RouteTable, upstream: UpstreamSettings)? {
        guard let routing = config.routing else { return nil }
        var azureOpenAI = config.azureOpenAI
        azureOpenAI?.endpoint = Self.emulatorStandIn
        azureOpenAI?.apiKey = Secret(emulator.configuration.openAIKey)
        var ollama = config.ollama
        ollama?.endpoint = Self.emulatorStandIn
        if azureOpenAI?.auth == .entra { azureOpenAI?.apiKey = nil }
        var upstream = UpstreamSettings(azureOpenAI: azureOpenAI)
        // With auth: entra the demo's gateway takes its tokens from the emulator's Entra ID, as a real one would.
        upstream.azureBearer = AzureOpenAIBearer.make(for: azureOpenAI, credential: credential)
        upstream.endpointStandIns = [Self.emulatorStandIn: azure.endpoints.management]
        return (RouteTable(settings: routing, azureOpenAI: azureOpenAI, ollama: ollama), upstream)
    }

    /// A new admin token for one run of the demo: 128 random bits, hex.
    static func newAdminToken() -> Secret {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Secret("demo-" + bytes.map { String(format: "%02x", $0) }.joined())
    }

    /// The report source over the emulator.
    var source: CostManagementReportSource {
        let client = CostManagementClient(
            transport: ThrottlingTransport(wrapping: transport, policy: Self.throttling), tokens: TokenCache(source: credential),
            management: azure.endpoints.management, tokenScope: azure.endpoints.managementScope,
            apiVersion: azure.costManagementAPIVersion, timeout: timeout)
        return CostManagementReportSource(client: client, scope: azure.costScope)
    }

    func stop() async {
        await emulator.stop()
        transport.shutdown()
    }
}
