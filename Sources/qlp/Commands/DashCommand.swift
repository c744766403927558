import ArgumentParser
import Foundation
import Logging
import QLPAzure
import QLPConfig
import QLPCore
import QLPDashboard
import QLPFeed
import QLPHTTP
import QLPTerminal

/// `qlp` / `qlp dash`: the dashboard against real Azure.
struct DashCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dash", abstract: "Run the dashboard against Azure (the default command).")

    @OptionGroup var options: DashboardOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Operate a running gateway through its admin API (http://host:port) instead of running one here; repeat for each replica. "
                + "The admin token comes from $QLP_ADMIN_TOKEN, else dashboard.admin_token.", valueName: "url"))
    var attach: [String] = []

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let location: ConfigLocation
        let config: QLPConfiguration
        do {
            location = try ConfigLoader.locate(flag: options.config, environment: environment)
            config = try ConfigLoader.load(location, environment: environment)
        } catch let error as ConfigError {
            throw CommandFailure.exit(error.description)
        } catch let error as ConfigErrors {
            throw CommandFailure.exit(error.description)
        }
        guard let azure = config.azure else { throw CommandFailure.exit("\(location.path): the azure section is required") }
        do {
            _ = try LoggingSetup.toFile(config.dashboard.logFile, level: LoggingSetup.levelFromEnvironment)
        } catch {
            throw CommandFailure.exit("cannot open the log file \(config.dashboard.logFile): \(error.localizedDescription)")
        }
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let credential: any TokenSource
        do {
            credential = try AzureCredentials.source(
                for: azure, environment: environment, transport: transport,
                timeout: config.dashboard.requestTimeout)
        } catch {
            throw CommandFailure.exit(error.description)
        }
        // keyvault:// values in the config become the secrets they name.
        let vault = KeyVaultClient(transport: transport, tokens: TokenCache(source: credential), timeout: config.dashboard.requestTimeout)
        let (resolved, outcomes) = await SecretReferences(client: vault, endpoints: azure.endpoints).resolve(config)
        let fleet =
            attach.isEmpty
            ? nil
            : AttachedFleet(
                urls: try Self.attachURLs(attach), token: try Self.attachToken(environment: environment, settings: resolved.dashboard),
                actor: resolved.dashboard.operatorName, transport: transport)
        // A vault failure costs only what needs that secret: the dashboard still starts, and says why.
        var atlasUnavailable: PanelData<AtlasCreditUse>.Problem?
        for outcome in outcomes {
            guard let failure = outcome.failure else { continue }
            Logger(label: "qlp.dash").error("cannot resolve \(outcome.field) (\(outcome.reference)): \(failure.description)")
            if outcome.field.hasPrefix("mongodb_atlas.admin_api") {
                atlasUnavailable = .init(
                    summary: "Key Vault: \(outcome.reference) \(Self.briefly(failure))",
                    detail: failure.description, at: Date(), nextAttempt: nil)
            }
        }
        let launcher = DashboardLauncher(
            plan: config.budget, azure: azure, dashboard: config.dashboard, isDemo: false, configPath: location.path,
            historyPath: config.dashboard.stateDirectory + "/qlp.sqlite",
            colorsAllowed: DashboardLauncher.colorsAllowed(flag: options.noColor, settings: config.dashboard, environment: environment),
            atlas: atlasUnavailable == nil ? resolved.mongodbAtlas?.adminAPI : nil, atlasUnavailable: atlasUnavailable,
            notifications: resolved.notifications, readOnlyFlag: options.readOnly, themeChoice: options.theme,
            blockGlyphsFlag: options.blockGlyphs,
            gateway: fleet == nil ? EmbeddedGateway.fromConfig(resolved, credential: credential) : nil, fleet: fleet)
        let exit: DashboardExit
        do {
            exit = try await launcher.run(credential: credential, transport: transport)
        } catch let error as TerminalError {
            throw CommandFailure.exit(error.description)
        }
        if exit.status != 0 { throw ExitCode(exit.status) }
    }

    /// Each --attach value as an admin endpoint's base URL; a value that is not one stops the command, named.
    static func attachURLs(_ values: [String]) throws(ExitCode) -> [String] {
        try values.map { value throws(ExitCode) -> String in
            guard let url = URL(string: value), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/", url.query == nil
            else {
                throw CommandFailure.exit(
                    "--attach \(value): expected a gateway's admin endpoint, http://host:port "
                        + "(its gateway.admin_listen)")
            }
            return value
        }
    }

    /// $QLP_ADMIN_TOKEN, else dashboard.admin_token; without either there is nothing to attach with.
    static func attachToken(environment: [String: String], settings: DashboardSettings) throws(ExitCode) -> Secret {
        if let token = environment["QLP_ADMIN_TOKEN"], !token.isEmpty { return Secret(token) }
        if let token = settings.adminToken, !token.isEmpty { return token }
        throw CommandFailure.exit(
            "--attach needs the replicas' admin token: set QLP_ADMIN_TOKEN, or dashboard.admin_token "
                + "in the config (admin_token: \"${QLP_ADMIN_TOKEN}\"), to their gateway.admin_token")
    }

    private static func briefly(_ failure: SecretReferences.Failure) -> String {
        switch failure {
        case .invalidReference: "is not a valid reference"
        case .vault(let error): error.summary
        }
    }
}
