import ArgumentParser
import Foundation
import Logging
import QLPAzure
import QLPConfig
import QLPCore
import QLPFleet
import QLPGateway
import QLPGatewayFeed
import QLPHTTP
import QLPNotify
import QLPProcess
import QLPRouting
import QLPStore

/// `qlp gateway`: the routing engine headless, an OpenAI-compatible endpoint
/// for applications, with its admin API and the model probes.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway", abstract: "Run the OpenAI-compatible AI gateway until interrupted.",
        subcommands: [Serve.self, HashKey.self], defaultSubcommand: Serve.self)

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve", abstract: "Serve the gateway (the default).",
            discussion: """
                Listens on gateway.listen (127.0.0.1:8088 by default) for POST /v1/chat/completions \
                (streaming too), POST /v1/embeddings and GET /v1/models, and serves GET /metrics \
                (Prometheus) and GET /healthz. Routes come from the config's routing section, or the \
                last change made through the admin API (gateway.admin_listen). On a terminal logs go \
                to dashboard.log_file; otherwise (systemd, a container) to standard error, one line per \
                event (--log-format json for JSON lines). SIGTERM or SIGINT drains: /readyz answers 503, \
                no new connections, requests and streams in flight get gateway.drain_timeout (25s) to \
                finish, then exit 0. SIGHUP reloads the config: routing edits (a new version audited by \
                "config"), client keys, per-request limits and notification sinks; other changes are logged \
                as needing a restart.
                """)

        @Option(help: ArgumentHelp("Config file (default lookup as for the dashboard).", valueName: "file"))
        var config: String?

        @Option(
            help: ArgumentHelp(
                "Log to standard error in this format (default: the log file on a terminal, text otherwise).",
                valueName: "text|json"))
        var logFormat: LogFormat?

        /// azure_openai.auth: entra: tokens from the azure section's credential.
        /// `azure` is the section as read with Azure required (the gateway's
        /// own load skips it): its failure is the reason there is no token.
        static func entraBearer(
            _ settings: QLPConfiguration, azure: Result<AzureSettings?, any Error>, path: String,
            environment: [String: String], transport: CurlTransport
        ) throws -> UpstreamBearer? {
            let section: AzureSettings
            switch azure {
            case .success(let read?):
                section = read
            case .success(nil):
                throw CommandFailure.exit(
                    "\(path): azure_openai.auth: entra takes its Entra ID token from the azure section's "
                        + "credential: add an azure section (tenant_id, credential)")
            case .failure(let error):
                throw CommandFailure.exit(
                    "\(path): azure_openai.auth: entra takes its Entra ID token from the azure section's "
                        + "credential, and that section cannot be used:\n\(error)")
            }
            do {
                let credential = try AzureCredentials.source(
                    for: section, environment: environment, transport: transport,
                    timeout: settings.dashboard.requestTimeout)
                return AzureOpenAIBearer.make(for: settings.azureOpenAI, credential: credential)
            } catch {
                throw CommandFailure.exit("\(path): azure_openai.auth: entra: \(error.description)")
            }
        }

        func run() async throws {
            // Watch SIGINT/SIGTERM/SIGHUP before any thread starts (event loops, SQLite),
            // and keep the watcher until the end: its dispatch sources go with it.
            let signalsReceived = AsyncStream<Int32>.makeStream()
            let signals = SignalWatcher { number in signalsReceived.continuation.yield(number) }
            signals.start()
            defer { signals.stop() }
            let environment = ProcessInfo.processInfo.environment
            // keyvault:// values the gateway sends upstream become the secrets they name, or it does not start.
            let (location, settings) = try await GatewaySecrets.loadResolved(flag: config, environment: environment)
            guard let routing = settings.routing else {
                throw CommandFailure.exit("\(location.path): the routing section is required to run the gateway")
            }
            let logDestination = LogDestination.choose(format: logFormat, logFile: settings.dashboard.logFile, environment: environment)
            do {
                try LoggingSetup.to(logDestination, level: LoggingSetup.levelFromEnvironment)
            } catch {
                throw CommandFailure.exit("cannot open the log file \(settings.dashboard.logFile): \(error.localizedDescription)")
            }
            let logger = Logger(label: "qlp.gateway")
            let configTable = RouteTable(settings: routing, azureOpenAI: settings.azureOpenAI, ollama: settings.ollama)
            // The table in force is the last committed change, reconciled with the config file's routing.
            let accountingFiles = AccountingFiles(settings, demo: false)
            let accounting: GatewayAccounting
            do throws(StoreError) {
                accounting = try accountingFiles.open()
            } catch {
                throw CommandFailure.runtime("cannot open the key store or the usage ledger: \(error.description)")
            }
            var upstream = UpstreamSettings(azureOpenAI: settings.azureOpenAI)
            let credentialTransport = CurlTransport()
            defer { credentialTransport.shutdown() }
            // The azure section is optional for the gateway: read (and checked) here, with Azure required, only
            // for what needs it (an Entra ID token, budget rules); its notices were given by the first load.
            let azure: Result<AzureSettings?, any Error> = Result {
                try ConfigLoader.load(location, environment: environment, requireAzure: true, notify: { _ in }).azure
            }
            if settings.azureOpenAI?.auth == .entra {
                upstream.azureBearer = try Self.entraBearer(
                    settings, azure: azure, path: location.path, environment: environment,
                    transport: credentialTransport)
                // Fetched now, so the first request does not wait for it.
                upstream.azureBearer?.start()
            }
            defer { upstream.azureBearer?.stop() }
            // One of a fleet: the route table is Redis's; this replica keeps a copy for a start without it.
            var fleetAuthority: (RouteAuthority, RedisRouteStore)?
            if let fleet = settings.fleet {
                do throws(FleetRouteAuthority.OpenError) {
                    fleetAuthority = try await FleetRouteAuthority.open(
                        settings: fleet, localCopyPath: settings.dashboard.stateDirectory + "/fleet-routes.sqlite",
                        configTable: configTable, logger: Logger(label: "qlp.fleet"))
                } catch {
                    throw CommandFailure.exit("\(location.path): \(error.description)")
                }
            }
            let stack: GatewayStack
            do throws(GatewayStack.OpenError) {
                if let (authority, _) = fleetAuthority {
                    stack = try GatewayStack(
                        authority: authority, settings: settings.gateway, upstream: upstream, accounting: accounting,
                        logger: logger, replicaName: settings.fleet?.replicaName ?? AdminReplicaView.hostName)
                } else {
                    stack = try GatewayStack(
                        configTable: configTable, databasePath: settings.dashboard.stateDirectory + "/routes.sqlite",
                        settings: settings.gateway, upstream: upstream, accounting: accounting, logger: logger)
                }
            } catch {
                throw CommandFailure.exit("\(location.path): \(error.description)")
            }
            let fleetStore = fleetAuthority?.1
            let interval = settings.gateway.probeInterval
            let table = stack.authority.live.snapshot.table
            let base: String
            do throws(GatewayServer.StartError) {
                base = try await stack.start(host: settings.gateway.host, port: settings.gateway.port)
            } catch {
                throw CommandFailure.exit(error.description)
            }
            let admin = await stack.adminBase()
            let client = settings.gateway.upstreamClient
            let bypassed = client.ignoredProxyVariables(in: environment)
            if !bypassed.isEmpty {
                logger.warning(
                    "gateway.upstream_client is event_loop, which connects to the upstreams directly, not through the proxy the environment names; set gateway.upstream_client: libcurl to use it",
                    metadata: ["variables": "\(bypassed.joined(separator: ","))"])
            }
            logger.info(
                "gateway listening",
                metadata: [
                    "url": "\(base)", "routes": "\(table.routes.map { $0.name })",
                    "version": "\(table.version)", "admin": "\(admin ?? "not listening")",
                ])
            // Start-up is over: its code need not stay mapped (StartupCodeRelease).
            let released = StartupCodeRelease.release()
            logger.debug("startup code unmapped", metadata: ["outcome": "\(released)"])
            // So that `qlp routes` with no flags finds this gateway; its token stays in the config and the environment.
            let stateDirectory = settings.dashboard.stateDirectory
            if let admin {
                do {
                    try RunningGatewayDirectory.write(
                        RunningGateway(kind: .gateway, pid: getpid(), gateway: base, admin: admin),
                        stateDirectory: stateDirectory)
                } catch {
                    logger.warning("qlp routes will not find this gateway without --admin", metadata: ["error": "\(error)"])
                }
            }
            let banner = """
                qlp gateway listening on \(base)
                  routes: \(table.routes.map { $0.name }.joined(separator: ", ")) (version \(table.version))
                  fleet:  \(Self.fleetLine(fleetStore))
                  admin:  \(admin ?? "not listening (the log says why)")\(settings.gateway.adminToken == nil ? " (no admin_token: changes refused)" : "")
                  probes: \(interval == .zero ? "off" : "every \(interval)")
                  client: \(client.rawValue) (gateway.upstream_client)\(bypassed.isEmpty ? "" : " (not through the proxy in \(bypassed.joined(separator: ", ")))")
                  usage:  \(settings.gateway.usageLedger ? accountingFiles.usagePath : "not recorded (gateway.usage_ledger: false)")
                  logs:   \(logDestination.description)
                Stop with Ctrl-C.

                """
            // Unbuffered, so a script reading our stdout sees the URL at once.
            Console.out(banner, terminator: "")
            let rules = !(await stack.authority.current.table.budgetRules.isEmpty)
            // Notifications: queued durably before anything is sent, so a kill loses none.
            let notifications: GatewayNotifications
            do throws(StoreError) {
                notifications = try GatewayNotifications(
                    settings.notifications, outboxPath: stateDirectory + "/gateway-outbox.sqlite",
                    logger: Logger(label: "qlp.notify"))
            } catch {
                await stack.stop()
                throw CommandFailure.runtime("notifications are configured but cannot be queued: \(error)")
            }
            // Spend is read when budget rules fire from it or a sink is told about budget alerts.
            let spendWanted: String? =
                rules
                ? "budget rules are configured"
                : settings.notifications.wantsSpend ? "notifications take budget alerts" : nil
            let alertHistory = GatewayAlertHistory.open(stateDirectory: stateDirectory, logger: logger)
            let reminders = settings.notifications.reminderInterval.map { TimeInterval($0.components.seconds) }
            let operations = GatewayOperations.start(
                settings, azure: azure, stack: stack, environment: environment, logger: logger,
                readSpend: spendWanted, tracker: alertHistory.tracker(reminderInterval: reminders)
            ) {
                transitions in
                // Queued for sending before the history says they happened (see DashboardSession.alertWatch).
                await notifications.submit(transitions)
                alertHistory.record(transitions)
            }
            await notifications.start()
            let reloader = GatewayConfigReloader(
                location: location, environment: environment, started: settings, stack: stack,
                notifications: notifications, readsSpend: spendWanted != nil, logger: logger)
            var stopSignal: Int32 = SIGTERM
            for await number in signalsReceived.stream {
                if number == SIGHUP {
                    // One at a time, in the order they came: a second SIGHUP during a reload reloads again after it.
                    await reloader.reload()
                    continue
                }
                stopSignal = number
                break
            }
            logger.info(
                "gateway draining",
                metadata: [
                    "signal": "\(stopSignal == SIGINT ? "SIGINT" : "SIGTERM")", "drain_timeout": "\(stack.gateway.settings.drainTimeout)",
                    "streams_open": "\(stack.gateway.drain.openStreams)",
                ])
            // First: a stopping gateway is not one for `qlp routes` to use.
            RunningGatewayDirectory.remove(pid: getpid(), stateDirectory: stateDirectory)
            await operations.stop()
            await notifications.stop()
            let drained = await stack.stop()
            if drained.streamsEnded > 0 {
                logger.warning(
                    "streams still open at the drain deadline were ended",
                    metadata: ["streams": "\(drained.streamsEnded)", "drain_timeout": "\(stack.gateway.settings.drainTimeout)"])
            }
            logger.info(
                "gateway stopped",
                metadata: [
                    "drained_in": "\(String(format: "%.1f", drained.seconds))s",
                    "streams_ended": "\(drained.streamsEnded)",
                ])
        }
    }

    /// `qlp gateway hash-key`: a client key's SHA-256, for gateway.client_key_sha256.
    struct HashKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash-key", abstract: "Read a client API key on stdin and print its SHA-256 (hex) for the config.",
            discussion: """
                The gateway stores only this hash (gateway.client_key_sha256); the key itself never \
                goes into the config, the logs or the command line. Trailing newlines are dropped:
                  printf %s "$KEY" | qlp gateway hash-key
                """)

        func run() throws {
            var key = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            while key.hasSuffix("\n") || key.hasSuffix("\r") { key.removeLast() }
            guard !key.isEmpty else { throw CommandFailure.exit("no key on standard input") }
            Console.out(ClientKeys.hexDigest(of: key))
        }
    }
}

extension Duration {
    /// As Double seconds.
    fileprivate var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}

extension GatewayCommand.Serve {
    /// Where the route table lives, for the banner: this machine's own, or a Redis and whether it answered.
    static func fleetLine(_ store: RedisRouteStore?) -> String {
        guard let store else { return "none (the route table is this machine's own, in SQLite)" }
        let status = store.status
        return store.location + (status.healthy ? "" : " NOT ANSWERING, serving without it: \(status.detail ?? "")")
    }
}
