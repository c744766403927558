import Foundation
import Logging
import QLPAzure
import QLPCore
import QLPDashboard
import QLPGateway
import QLPHTTP

/// The spend a headless `qlp gateway` fires its budget rules from: Cost
/// Management read exactly as the dashboard reads it (the same poller and
/// budget math), without a screen. Runs only when the config has both an
/// `azure` section and budget rules.
struct GatewayBudgetFeed {
    let task: Task<Void, Never>

    /// Starts reading cost; nil (with the reason logged) when the rules cannot be fed.
    static func start(_ configuration: QLPConfiguration, azure loaded: Result<AzureSettings?, any Error>, stack: GatewayStack,
                      environment: [String: String], logger: Logger) async -> GatewayBudgetFeed? {
        guard !(await stack.authority.current.table.budgetRules.isEmpty) else { return nil }
        let azure: AzureSettings
        switch loaded {
        case .success(let settings?):
            azure = settings
        case .success(nil):
            logger.warning("budget rules are configured but there is no azure section to read spend from: they will not fire")
            return nil
        case .failure(let error):
            logger.warning("budget rules will not fire: the azure section cannot be used: \(error)")
            return nil
        }
        let transport = CurlTransport()
        let credential: any TokenSource
        do {
            credential = try AzureCredentials.source(for: azure, environment: environment, transport: transport,
                                                     timeout: configuration.dashboard.requestTimeout)
        } catch {
            logger.error("budget rules will not fire: no Azure credential (\(error.description))")
            transport.shutdown()
            return nil
        }
        let client = CostManagementClient(transport: ThrottlingTransport(wrapping: transport, policy: .standard),
                                          tokens: TokenCache(source: credential), management: azure.endpoints.management,
                                          tokenScope: azure.endpoints.managementScope, apiVersion: azure.costManagementAPIVersion,
                                          timeout: configuration.dashboard.requestTimeout)
        let identity = DashboardIdentity(subscriptionID: azure.subscriptionID, resourceGroup: azure.resourceGroup, isDemo: false,
                                         configPath: nil, logFile: configuration.dashboard.logFile)
        let store = DashboardStateStore(DashboardState(identity: identity, plan: configuration.budget,
                                                       costRefresh: configuration.dashboard.costRefresh))
        let poller = CostPoller(client: client, scope: azure.costScope, store: store, history: nil,
                                interval: configuration.dashboard.costRefresh, wake: WakeSignal())
        let feed = GatewayDashboardFeed(authority: stack.authority, gateway: stack.gateway, store: store)
        logger.info("budget rules fed from Cost Management", metadata: ["every": "\(configuration.dashboard.costRefresh)"])
        return GatewayBudgetFeed(task: Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await poller.run() }
                group.addTask { await feed.run() }
            }
            transport.shutdown()
        })
    }

    func stop() async {
        task.cancel()
        await task.value
    }
}
