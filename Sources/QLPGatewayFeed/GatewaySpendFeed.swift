import Foundation
import Logging
import QLPAzure
import QLPCore
import QLPFeed
import QLPHTTP

/// The spend a headless `qlp gateway` reads: Cost Management and Azure's
/// budgets read by the same pollers and budget math as the dashboard's, into
/// a feed of its own. Its budget rules fire from it and its budget alerts are
/// computed from it.
public struct GatewaySpendFeed: Sendable {
    public let store: FeedStateStore
    public let pollers: [any FeedPoller]
    let transport: CurlTransport

    /// The feed for `azure`, or nil (with the reason logged) when it cannot be read.
    public static func open(
        _ configuration: QLPConfiguration, azure loaded: Result<AzureSettings?, any Error>,
        environment: [String: String], logger: Logger, why: String
    ) -> GatewaySpendFeed? {
        let azure: AzureSettings
        switch loaded {
        case .success(let settings?):
            azure = settings
        case .success(nil):
            logger.warning("\(why) but there is no azure section to read spend from")
            return nil
        case .failure(let error):
            logger.warning("\(why) but the azure section cannot be used: \(error)")
            return nil
        }
        let transport = CurlTransport()
        let credential: any TokenSource
        do {
            credential = try AzureCredentials.source(
                for: azure, environment: environment, transport: transport,
                timeout: configuration.dashboard.requestTimeout)
        } catch {
            logger.error("\(why) but there is no Azure credential (\(error.description))")
            transport.shutdown()
            return nil
        }
        let tokens = TokenCache(source: credential)
        let azureTransport = ThrottlingTransport(wrapping: transport, policy: .standard)
        let timeout = configuration.dashboard.requestTimeout
        let client = CostManagementClient(
            transport: azureTransport, tokens: tokens, management: azure.endpoints.management,
            tokenScope: azure.endpoints.managementScope, apiVersion: azure.costManagementAPIVersion,
            timeout: timeout)
        let budgets = BudgetsClient(
            transport: azureTransport, tokens: tokens, management: azure.endpoints.management,
            tokenScope: azure.endpoints.managementScope, timeout: timeout)
        let store = FeedStateStore(FeedState(plan: configuration.budget, costRefresh: configuration.dashboard.costRefresh))
        let every = configuration.dashboard.costRefresh
        let pollers: [any FeedPoller] = [
            CostPoller(client: client, scope: azure.costScope, store: store, history: nil, interval: every, wake: WakeSignal()),
            AzureBudgetPoller(budgets: budgets, costs: client, scope: azure.costScope, store: store, interval: every, wake: WakeSignal()),
        ]
        logger.info("spend read from Cost Management", metadata: ["every": "\(every)"])
        return GatewaySpendFeed(store: store, pollers: pollers, transport: transport)
    }

    /// Frees the HTTP transport; call after the pollers stopped.
    public func close() {
        transport.shutdown()
    }
}
