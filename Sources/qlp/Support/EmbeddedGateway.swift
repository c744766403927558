import Foundation
import Logging
import QLPAzure
import QLPCore
import QLPDashboard
import QLPFeed
import QLPGateway
import QLPGatewayFeed
import QLPRouting
import QLPStore

/// The gateway `qlp dash` and `qlp demo` run in their own process, so that
/// the Routing view changes the routes applications are using right now.
struct EmbeddedGateway {
    var configTable: RouteTable
    var databasePath: String
    var settings: GatewaySettings
    var upstream: UpstreamSettings
    /// The demo sends a little traffic of its own so that shares and latencies
    /// move, with these keys (nil: no demo traffic).
    var demoClients: [DemoKeys.Client]? = nil
    /// The azure_openai.api_key reference Key Vault did not resolve (the
    /// dashboard logged why): sent as it is, every Azure target would answer 401.
    var unresolvedKeyReference: String? = nil
    /// What `qlp routes` is told this is, through the file in `stateDirectory`/running.
    var kind: RunningGateway.Kind = .dashboard
    var stateDirectory: String
    /// The key store and usage ledger it accounts to.
    var accounting: AccountingFiles

    /// What the dashboard gets from a started gateway.
    struct Running {
        let stack: GatewayStack
        let routeControl: GatewayRouteControl
        let stats: GatewayTargetStats
        let pollers: [any FeedPoller]
        let stateDirectory: String
        /// Each client key's limits and use, for the Keys view; nil: the view
        /// says no gateway feeds it.
        var keyActivity: (@Sendable () -> [KeyActivity])? = nil

        /// Takes back the file that announced the gateway (first: a stopping gateway is not one to use), then stops it.
        func stop() async {
            RunningGatewayDirectory.remove(pid: getpid(), stateDirectory: stateDirectory)
            await stack.stop()
        }
    }

    /// From the config's routing section; nil when it has none. `credential`
    /// is the dashboard's Azure credential: with azure_openai.auth: entra it
    /// gives the Entra ID tokens sent upstream, as `qlp gateway`'s does.
    static func fromConfig(_ configuration: QLPConfiguration, credential: any TokenSource) -> EmbeddedGateway? {
        guard let routing = configuration.routing else { return nil }
        var upstream = UpstreamSettings(azureOpenAI: configuration.azureOpenAI)
        upstream.azureBearer = AzureOpenAIBearer.make(for: configuration.azureOpenAI, credential: credential)
        return EmbeddedGateway(
            configTable: RouteTable(
                settings: routing, azureOpenAI: configuration.azureOpenAI,
                ollama: configuration.ollama),
            databasePath: configuration.dashboard.stateDirectory + "/routes.sqlite",
            settings: configuration.gateway, upstream: upstream,
            unresolvedKeyReference: configuration.azureOpenAI?.apiKey.map { $0.reveal() }
                .flatMap { KeyVaultReference.isReference($0) ? $0 : nil },
            stateDirectory: configuration.dashboard.stateDirectory,
            accounting: AccountingFiles(configuration, demo: false))
    }

    /// Opens and starts the stack. A gateway that cannot start (its port is
    /// taken by a `qlp gateway`, its database cannot be opened) does not stop
    /// the dashboard: the screen says why and the rest works.
    func start(store: DashboardStateStore, operatorName: String, logger: Logger) async -> Running? {
        if let reference = unresolvedKeyReference {
            report(
                "gateway not started: azure_openai.api_key (\(reference)) could not be read from Key Vault (the log says why)",
                store: store, logger: logger)
            return nil
        }
        let stack: GatewayStack
        do {
            stack = try GatewayStack(
                configTable: configTable, databasePath: databasePath, settings: settings, upstream: upstream,
                accounting: try accounting.open(), logger: Logger(label: "qlp.gateway"))
        } catch let error as StoreError {
            report("gateway not started: cannot open the key store or the usage ledger: \(error.description)", store: store, logger: logger)
            return nil
        } catch let error as GatewayStack.OpenError {
            report("gateway not started: \(error.description)", store: store, logger: logger)
            return nil
        } catch {
            report("gateway not started: \(error)", store: store, logger: logger)
            return nil
        }
        let base: String
        do {
            base = try await stack.start(host: settings.host, port: settings.port)
        } catch {
            report("gateway not started: \(error.description)", store: store, logger: logger)
            return nil
        }
        let admin = await stack.adminBase()
        logger.info("embedded gateway listening", metadata: ["url": "\(base)", "admin": "\(admin ?? "not listening")"])
        // The demo's token is its own and shown on its screen; `qlp dash`'s is the config's secret and stays out of both.
        let demoToken = kind == .demo ? settings.adminToken : nil
        store.update {
            $0.gatewayAddresses = GatewayAddresses(gateway: base, admin: admin, demoAdminToken: demoToken)
            $0.gatewayExpected = true
        }
        if let admin {
            do {
                try RunningGatewayDirectory.write(
                    RunningGateway(kind: kind, pid: getpid(), gateway: base, admin: admin, adminToken: demoToken?.reveal()),
                    stateDirectory: stateDirectory)
            } catch {
                logger.warning("qlp routes will not find this gateway without --admin", metadata: ["error": "\(error)"])
            }
        }
        var pollers: [any FeedPoller] = [
            GatewayAlertFeed(authority: stack.authority, gateway: stack.gateway, feed: store) { alerts in
                store.update { $0.externalAlerts = alerts }
            }
        ]
        if let demoClients {
            pollers.append(DemoTraffic(gatewayBase: base, routes: configTable.routes.map(\.name), clients: demoClients))
        }
        // The key gate's own figures: in memory, what it decides each request on.
        let keys = stack.gateway.keys
        return Running(
            stack: stack,
            routeControl: GatewayRouteControl(authority: stack.authority, traffic: stack.traffic, actor: operatorName),
            stats: GatewayTargetStats(gateway: stack.gateway), pollers: pollers, stateDirectory: stateDirectory,
            keyActivity: { keys.activity(now: Date()) })
    }

    private func report(_ text: String, store: DashboardStateStore, logger: Logger) {
        logger.error("\(text)")
        store.update { $0.notice = Notice(text: text, isError: true, at: Date()) }
    }
}
