import ArgumentParser
import Foundation
import Logging
import QLPAzure
import QLPConfig
import QLPCore
import QLPDashboard
import QLPHTTP
import QLPTerminal
import QLPFeed

/// `qlp` / `qlp dash`: the dashboard against real Azure.
struct DashCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dash", abstract: "Run the dashboard against Azure (the default command).")

    @OptionGroup var options: DashboardOptions

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
            credential = try AzureCredentials.source(for: azure, environment: environment, transport: transport,
                                                     timeout: config.dashboard.requestTimeout)
        } catch {
            throw CommandFailure.exit(error.description)
        }
        // keyvault:// values in the config become the secrets they name.
        let vault = KeyVaultClient(transport: transport, tokens: TokenCache(source: credential), timeout: config.dashboard.requestTimeout)
        let (resolved, outcomes) = await SecretReferences(client: vault, endpoints: azure.endpoints).resolve(config)
        // A vault failure costs only what needs that secret: the dashboard still starts, and says why.
        var atlasUnavailable: PanelData<AtlasCreditUse>.Problem?
        for outcome in outcomes {
            guard let failure = outcome.failure else { continue }
            Logger(label: "qlp.dash").error("cannot resolve \(outcome.field) (\(outcome.reference)): \(failure.description)")
            if outcome.field.hasPrefix("mongodb_atlas.admin_api") {
                atlasUnavailable = .init(summary: "Key Vault: \(outcome.reference) \(Self.briefly(failure))",
                                         detail: failure.description, at: Date(), nextAttempt: nil)
            }
        }
        let launcher = DashboardLauncher(
            plan: config.budget, azure: azure, dashboard: config.dashboard, isDemo: false, configPath: location.path,
            historyPath: config.dashboard.stateDirectory + "/qlp.sqlite",
            colorsAllowed: DashboardLauncher.colorsAllowed(flag: options.noColor, settings: config.dashboard, environment: environment),
            atlas: atlasUnavailable == nil ? resolved.mongodbAtlas?.adminAPI : nil, atlasUnavailable: atlasUnavailable,
            notifications: resolved.notifications, readOnlyFlag: options.readOnly, themeChoice: options.theme, blockGlyphsFlag: options.blockGlyphs, gateway: EmbeddedGateway.fromConfig(resolved))
        let exit: DashboardExit
        do {
            exit = try await launcher.run(credential: credential, transport: transport)
        } catch let error as TerminalError {
            throw CommandFailure.exit(error.description)
        }
        if exit.status != 0 { throw ExitCode(exit.status) }
    }

    private static func briefly(_ failure: SecretReferences.Failure) -> String {
        switch failure {
        case .invalidReference: "is not a valid reference"
        case .vault(let error): error.summary
        }
    }
}
