import Foundation
import QLPAzure
import QLPConfig
import QLPCore
import QLPDashboard
import QLPFeed
import QLPGateway
import QLPGatewayFeed
import QLPHTTP
import QLPNotify
import QLPRouting
import QLPStore

/// What `qlp doctor` checks, in order: the config, each credential source,
/// a token per scope, each endpoint, every configured metric name, what the
/// gateway needs (GatewayReadiness) and each notification sink.
/// Errors are AzureError descriptions, which never carry a secret or token.
struct Doctor {
    var configuration: QLPConfiguration
    var configPath: String
    var azure: AzureSettings
    var environment: [String: String]
    var transport: any HTTPTransport
    /// For --demo: the sources to try are exactly the emulator's.
    var credentialOverride: (any TokenSource)?
    /// For --demo: the emulator's Atlas organisation.
    var atlasSettings: AtlasAdminAPISettings? = nil
    /// For --demo: the demo gateway's targets on the emulator (otherwise made from the config, its secrets resolved).
    var demoGateway: GatewayReadiness? = nil

    func run() async -> [DoctorCheck] {
        var checks = [DoctorCheck(name: "config", outcome: .ok("\(configPath): valid"))]
        checks.append(writable(configuration.dashboard.logFile, name: "log file"))
        checks.append(stateDirectory())

        let timeout = configuration.dashboard.requestTimeout
        var source: (any TokenSource)? = credentialOverride
        if source == nil {
            let (credentialChecks, working) = await credentials(timeout: timeout)
            checks += credentialChecks
            source = working
        }
        guard let source else {
            checks.append(DoctorCheck(name: "Azure endpoints", outcome: .skipped("no working credential, so nothing else can be checked")))
            return checks + (await gatewayChecks(configuration, credential: nil)) + (await notificationSinks(configuration.notifications))
        }
        let tokens = TokenCache(source: source)
        let management = azure.endpoints.managementScope
        checks.append(await token(tokens, scope: management, name: "token: Resource Manager"))
        if !azure.monitor.resources.isEmpty || azure.monitor.discover {
            checks.append(await token(tokens, scope: "https://metrics.monitor.azure.com/.default", name: "token: Monitor metrics"))
        }
        let logSources = azure.monitor.logMetrics.map(\.source)
        if logSources.contains(where: { if case .appInsights = $0 { true } else { false } }) {
            checks.append(await token(tokens, scope: AppInsightsClient.scope, name: "token: Application Insights"))
        }
        if logSources.contains(where: { if case .logAnalytics = $0 { true } else { false } }) {
            checks.append(await token(tokens, scope: LogAnalyticsClient.scope, name: "token: Log Analytics"))
        }

        let cost = CostManagementClient(
            transport: transport, tokens: tokens, management: azure.endpoints.management,
            tokenScope: management, apiVersion: azure.costManagementAPIVersion, timeout: timeout)
        let today = CivilDate(Date(), in: TimeZone(identifier: configuration.budget.billingTimeZone) ?? TimeZone(identifier: "UTC")!)
        checks.append(
            await check("Cost Management query") {
                let result = try await cost.dailyCostsByService(scope: azure.costScope, from: today.firstOfMonth, to: today)
                let currencies = Set(result.costs.map(\.currency.code))
                if let foreign = currencies.first(where: { $0 != configuration.budget.currency.code }) {
                    return .fail(
                        "costs are in \(foreign), the budget in \(configuration.budget.currency.code)",
                        remedy: "set budget.currency to the billing currency")
                }
                return .ok("\(result.costs.count) rows this month in \(result.pages) page\(result.pages == 1 ? "" : "s")")
            })
        checks.append(
            await check("Cost Management forecast") {
                let forecast = try await cost.forecast(scope: azure.costScope, from: today.firstOfMonth, to: today.lastOfMonth)
                return .ok(
                    "month total \(MoneyFormat.standard.string(forecast.total, currency: forecast.currency ?? configuration.budget.currency))"
                )
            })
        let budgets = BudgetsClient(
            transport: transport, tokens: tokens, management: azure.endpoints.management,
            tokenScope: management, timeout: timeout)
        checks.append(
            await check("Azure budgets") {
                let list = try await budgets.list(scope: azure.costScope)
                let skipped = list.flatMap(\.properties.skippedNotificationKeys)
                return .ok(
                    "\(list.count) budget\(list.count == 1 ? "" : "s")"
                        + (list.isEmpty ? " (none set: qlp's own thresholds still apply)" : "")
                        + (skipped.isEmpty ? "" : "; ignored malformed notification entries: \(skipped.joined(separator: ", "))"))
            })

        let monitor = MonitorMetricsClient(transport: transport, tokens: tokens, management: azure.endpoints.management, timeout: timeout)
        var monitored = azure.monitor.resources
        if azure.monitor.discover {
            checks.append(
                await check("Monitor discovery") {
                    let listed = try await monitor.resources(subscriptionID: azure.subscriptionID, resourceGroup: azure.resourceGroup)
                    let discovered = MonitorDiscovery.plans(listed)
                    monitored = MonitorDiscovery.merged(configured: azure.monitor.resources, discovered: discovered)
                    guard !discovered.isEmpty else {
                        return .fail(
                            "none of the \(listed.count) resources in \(azure.resourceGroup) is of a type qlp knows metrics for",
                            remedy: "list resources under azure.monitor.resources in \(configPath)")
                    }
                    return .ok(
                        "discovered \(discovered.count) resource\(discovered.count == 1 ? "" : "s") of \(listed.count) in \(azure.resourceGroup): "
                            + discovered.map(\.name).joined(separator: ", "))
                })
        }
        for resource in monitored {
            checks.append(
                await check("metrics: \(resource.name)") {
                    let definitions = try await monitor.definitions(resourceID: resource.id, namespace: resource.namespace)
                    let known = Set(definitions.map { $0.name.value.lowercased() })
                    let unknown = resource.metrics.filter { !known.contains($0.lowercased()) }
                    guard unknown.isEmpty else {
                        let available = definitions.map(\.name.value).sorted().prefix(12).joined(separator: ", ")
                        return .fail(
                            "no metric named \(unknown.joined(separator: ", ")) on \(resource.name)",
                            remedy: "fix azure.monitor.resources in \(configPath); this resource has: \(available)")
                    }
                    return .ok("\(resource.metrics.count) metric\(resource.metrics.count == 1 ? "" : "s") found")
                })
        }
        checks += await batches(monitor, resources: monitored)
        checks += await logMetrics(tokens, timeout: timeout)
        // Atlas keys may themselves be Key Vault references.
        var resolvedConfiguration = configuration
        let references = SecretReferences.references(in: configuration)
        if !references.isEmpty {
            let (resolved, outcomes) = await SecretReferences(
                client: KeyVaultClient(transport: transport, tokens: tokens, timeout: timeout),
                endpoints: azure.endpoints
            ).resolve(configuration)
            for outcome in outcomes {
                switch outcome.failure {
                case .vault(let error):
                    checks.append(
                        DoctorCheck(
                            name: "Key Vault: \(outcome.field)",
                            outcome: .fail(
                                "\(outcome.reference): \(error.description)",
                                remedy: vaultRemedy(error, field: outcome.field))))
                case .invalidReference(let error):
                    checks.append(
                        DoctorCheck(
                            name: "Key Vault: \(outcome.field)",
                            outcome: .fail(
                                error.description,
                                remedy: "fix \(outcome.field) in \(configPath)")))
                case nil:
                    checks.append(DoctorCheck(name: "Key Vault: \(outcome.field)", outcome: .ok("\(outcome.reference) resolved")))
                }
            }
            resolvedConfiguration = resolved
        }
        if let atlas = atlasSettings ?? resolvedConfiguration.mongodbAtlas?.adminAPI {
            checks.append(
                await check("MongoDB Atlas billing") {
                    let client = AtlasBillingClient(
                        transport: transport, baseURL: atlas.baseURL, orgID: atlas.orgID, publicKey: atlas.publicKey,
                        privateKey: atlas.privateKey, timeout: timeout)
                    let pending = try await client.pendingInvoice()
                    do {
                        let use = try AtlasCreditUse.compute(
                            closed: try await client.invoices().map(\.creditTotals), pending: pending.creditTotals,
                            plan: configuration.budget, today: today)
                        return .ok(
                            "credit used \(MoneyFormat.standard.string(use.used, currency: use.currency)) of "
                                + "\(MoneyFormat.standard.string(use.grant.amount, currency: use.currency)) at \(use.rate)")
                    } catch let error as AtlasCreditError {
                        return .fail(error.description, remedy: "set budget.exchange_rates.USD and budget.atlas_credits in \(configPath)")
                    }
                })
        } else {
            checks.append(DoctorCheck(name: "MongoDB Atlas billing", outcome: .skipped("mongodb_atlas.admin_api is not configured")))
        }
        return checks + (await gatewayChecks(resolvedConfiguration, credential: source))
            + (await notificationSinks(resolvedConfiguration.notifications))
    }

    /// What `qlp gateway` would need, with Key Vault references already
    /// resolved and, for azure_openai.auth: entra, tokens from the credential
    /// that worked above (as the gateway takes them from the azure section's).
    private func gatewayChecks(_ resolved: QLPConfiguration, credential: (any TokenSource)?) async -> [DoctorCheck] {
        if let demoGateway { return await demoGateway.run() }
        guard let routing = resolved.routing else {
            return [DoctorCheck(name: "gateway", outcome: .skipped("no routing section: this config runs no gateway"))]
        }
        var upstream = UpstreamSettings(azureOpenAI: resolved.azureOpenAI)
        if let credential { upstream.azureBearer = AzureOpenAIBearer.make(for: resolved.azureOpenAI, credential: credential) }
        let readiness = GatewayReadiness(
            settings: resolved.gateway,
            table: RouteTable(settings: routing, azureOpenAI: resolved.azureOpenAI, ollama: resolved.ollama),
            upstream: upstream, transport: transport, configPath: configPath, demo: false)
        return await readiness.run()
    }

    /// Each notification sink reached without sending it anything (no one is paged by a check).
    private func notificationSinks(_ settings: NotificationSettings) async -> [DoctorCheck] {
        guard !settings.sinks.isEmpty else {
            return [DoctorCheck(name: "notification sinks", outcome: .skipped("none configured (notifications.sinks)"))]
        }
        let tester = SinkTest(transport: transport)
        var checks: [DoctorCheck] = []
        for sink in settings.sinks {
            let result = await tester.checkReachability(sink)
            let name = "sink: \(sink.name)"
            switch result.outcome {
            case .ok:
                checks.append(
                    DoctorCheck(
                        name: name,
                        outcome: .ok(
                            "\(result.address) reachable; nothing sent "
                                + "(`qlp alerts test \(sink.name)` sends a test message)")))
            case .unavailable:
                checks.append(DoctorCheck(name: name, outcome: .skipped(result.detail)))
            case .refused, .unreachable:
                checks.append(
                    DoctorCheck(
                        name: name,
                        outcome: .fail(
                            "\(result.address): \(result.detail)",
                            remedy: "check notifications.sinks '\(sink.name)' in \(configPath) and the network path to it")))
            }
        }
        return checks
    }

    /// Each credential source on its own, then the one qlp will use.
    private func credentials(timeout: Duration) async -> ([DoctorCheck], (any TokenSource)?) {
        let scope = azure.endpoints.managementScope
        let sources: [(name: String, source: any TokenSource)]
        switch azure.credential {
        case .auto:
            sources = AzureCredentials.chain(for: azure, environment: environment, transport: transport, timeout: timeout)
        default:
            do {
                sources = [
                    (
                        azure.credential.name,
                        try AzureCredentials.source(
                            for: azure, environment: environment, transport: transport,
                            timeout: timeout)
                    )
                ]
            } catch {
                return (
                    [DoctorCheck(name: "credential: \(azure.credential.name)", outcome: .fail(error.description, remedy: remedy(error)))],
                    nil
                )
            }
        }
        var checks: [DoctorCheck] = []
        var working: (any TokenSource)?
        var answered: DoctorCheck?
        for (name, source) in sources {
            do {
                _ = try await source.fetchToken(scope: scope)
                checks.append(DoctorCheck(name: "credential: \(name)", outcome: .ok(working == nil ? "works; qlp uses this one" : "works")))
                if working == nil {
                    working = source
                    // Which one answered, and from what: on AKS the first thing to know is whether the pod's identity was used.
                    answered = DoctorCheck(name: "Azure credential", outcome: .ok(name + (source.origin.map { " (\($0))" } ?? "")))
                }
            } catch {
                if case .credentialUnavailable(let detail) = error, azure.credential == .auto {
                    checks.append(DoctorCheck(name: "credential: \(name)", outcome: .skipped("not available here: \(detail)")))
                } else {
                    checks.append(DoctorCheck(name: "credential: \(name)", outcome: .fail(error.description, remedy: remedy(error))))
                    // A source that exists but refuses stops the chain, as it does at run time.
                    if azure.credential == .auto, working == nil { break }
                }
            }
        }
        if let answered { checks.append(answered) }
        if working == nil, azure.credential == .auto {
            checks.append(
                DoctorCheck(
                    name: "credential",
                    outcome: .fail(
                        "no credential source works",
                        remedy:
                            "export AZURE_TENANT_ID=… AZURE_CLIENT_ID=… AZURE_CLIENT_SECRET=… (a service principal, or AZURE_CLIENT_CERTIFICATE_PATH=…), "
                            + "run on AKS with workload identity or a machine with a managed identity, or run `az login`")))
        }
        return (checks, working)
    }

    /// Each group of resources the dashboard reads through the batch API: the
    /// regional endpoint must answer for every one of them.
    private func batches(_ monitor: MonitorMetricsClient, resources: [MonitorSettings.Resource]) async -> [DoctorCheck] {
        let end = Date()
        var checks: [DoctorCheck] = []
        for call in MetricsCallPlan.calls(for: resources, defaultRegion: azure.monitor.region) {
            guard case .batch(let region, let subscription, let namespace, let metrics, let members) = call else { continue }
            let names = members.map { resources[$0].name }
            // The type's last part keeps the name inside doctor's first column (containerGroups, uksouth).
            let type = namespace.split(separator: "/").last.map(String.init) ?? namespace
            checks.append(
                await check("batch: \(type), \(region)") {
                    let answer = try await monitor.batch(
                        endpoint: azure.endpoints.metricsBatchURL(region: region), subscriptionID: subscription,
                        resourceIDs: members.map { resources[$0].id }, namespace: namespace,
                        names: metrics, interval: MetricsPoller.grain,
                        start: end.addingTimeInterval(-MetricsPoller.window), end: end)
                    let missing = members.filter { answer.result(for: resources[$0].id) == nil }
                        .map { resources[$0].name }
                    guard missing.isEmpty else {
                        return .fail(
                            "no answer for \(missing.joined(separator: ", "))",
                            remedy: "set region: on those resources in resources in \(configPath)")
                    }
                    return .ok("\(names.count) \(namespace) in one call: \(names.joined(separator: ", "))")
                })
        }
        return checks
    }

    /// Each logged metric's query, run over the Monitor view's window: it must
    /// answer, and with a table qlp can read as a series.
    private func logMetrics(_ tokens: TokenCache, timeout: Duration) async -> [DoctorCheck] {
        guard !azure.monitor.logMetrics.isEmpty else { return [] }
        let reader = LogMetricReader(
            appInsights: AppInsightsClient(transport: transport, tokens: tokens, endpoint: azure.endpoints.appInsights, timeout: timeout),
            logAnalytics: LogAnalyticsClient(transport: transport, tokens: tokens, endpoint: azure.endpoints.logAnalytics, timeout: timeout)
        )
        let end = Date()
        var checks: [DoctorCheck] = []
        for metric in azure.monitor.logMetrics {
            let name = "logs: \(metric.name)"
            switch await reader.read(metric, from: end.addingTimeInterval(-MetricsPoller.window), to: end) {
            case .series(let series):
                let skipped = series.skippedRows == 0 ? "" : "; \(series.skippedRows) rows without a time or number left out"
                checks.append(
                    DoctorCheck(
                        name: name,
                        outcome: .ok(
                            "\(series.points.count) points in 3 h (\(series.timeColumn), \(series.valueColumn))\(skipped)")))
            case .shape(let error):
                checks.append(
                    DoctorCheck(
                        name: name,
                        outcome: .fail(
                            error.description,
                            remedy: "change its query in azure.monitor.log_metrics in \(configPath)")))
            case .service(let error):
                let remedy: String =
                    switch error {
                    case .http(_, _, 403, _, _, _):
                        "give the identity Reader on the Application Insights resource, or Log Analytics Reader on the workspace"
                    case .http(_, _, 400, _, _, _):
                        "fix the query (or the app or workspace ID) in azure.monitor.log_metrics in \(configPath)"
                    case .http(_, _, 404, _, _, _): "check the app ID or workspace ID in azure.monitor.log_metrics in \(configPath)"
                    default: self.remedy(error)
                    }
                checks.append(DoctorCheck(name: name, outcome: .fail(error.description, remedy: remedy)))
            }
        }
        return checks
    }

    private func token(_ tokens: TokenCache, scope: String, name: String) async -> DoctorCheck {
        await check(name) {
            let token = try await tokens.token(for: scope)
            let minutes = Int(token.expiresOn.timeIntervalSinceNow / 60)
            return .ok("issued, valid for \(minutes) more minute\(minutes == 1 ? "" : "s")")
        }
    }

    private func check(_ name: String, _ body: () async throws -> DoctorCheck.Outcome) async -> DoctorCheck {
        do {
            return DoctorCheck(name: name, outcome: try await body())
        } catch let error as AzureError {
            return DoctorCheck(name: name, outcome: .fail(error.description, remedy: remedy(error)))
        } catch {
            return DoctorCheck(name: name, outcome: .fail("\(error)", remedy: "see the log file for details"))
        }
    }

    private func vaultRemedy(_ error: AzureError, field: String) -> String {
        switch error {
        case .http(_, _, 403, _, _, _):
            "give the identity qlp uses the Key Vault Secrets User role on the vault (or an access policy allowing get on secrets)"
        case .http(_, _, 404, _, _, _): "no such secret or version in that vault: check \(field) in \(configPath)"
        case .transport: "check the vault name in \(field) and azure.endpoints.key_vault in \(configPath)"
        default: remedy(error)
        }
    }

    private func remedy(_ error: AzureError) -> String {
        switch error {
        case .authentication(let failure): failure.remedy
        case .credentialUnavailable: "configure a credential: see the azure section of config/qlp.yaml"
        case .throttled: "wait and run doctor again; Cost Management's quota is per tenant"
        case .http(_, _, let status, _, _, _) where status == 403:
            "grant the service principal Cost Management Reader and Monitoring Reader on the subscription"
        case .http(_, _, let status, _, _, _) where status == 404: "check azure.subscription_id and the resource IDs in the config"
        case .transport: "check the network path to the endpoint and azure.endpoints in the config"
        default: "see the log file for details"
        }
    }

    private func writable(_ path: String, name: String) -> DoctorCheck {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try OwnerOnlyFiles.makeDirectory(directory)
        } catch {
            return DoctorCheck(
                name: name,
                outcome: .fail(
                    "cannot create \(directory): \(error.reason)",
                    remedy: "set dashboard.log_file to a writable path"))
        }
        if FileManager.default.fileExists(atPath: path)
            ? FileManager.default.isWritableFile(atPath: path)
            : FileManager.default.isWritableFile(atPath: directory)
        {
            return DoctorCheck(name: name, outcome: .ok(path))
        }
        return DoctorCheck(name: name, outcome: .fail("\(path) is not writable", remedy: "set dashboard.log_file to a writable path"))
    }

    private func stateDirectory() -> DoctorCheck {
        let path = configuration.dashboard.stateDirectory + "/qlp.sqlite"
        do {
            _ = try SQLiteCostHistory(path: path)
            return DoctorCheck(name: "history database", outcome: .ok(path))
        } catch {
            return DoctorCheck(
                name: "history database", outcome: .fail(error.description, remedy: "set dashboard.state_dir to a writable directory"))
        }
    }
}
