import ArgumentParser
import Foundation
import QLPAzure
import QLPConfig
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPHTTP
import QLPTerminal

/// `qlp demo`: the dashboard on the embedded emulator, so a new user sees it
/// work with no Azure account. The real client code runs; only the far end
/// of the wire is emulated, and the screen says DEMO.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run the dashboard on the embedded Azure emulator (no account needed).",
        discussion: """
            Uses your config's budget if one is found (else the built-in example), with the credit \
            period placed so that it started on the first day of last month. Faults can be injected \
            at start (--fault) or while running, over HTTP: PUT /_emulator/faults/cost.query on the \
            emulator's port (see `qlp emulate --help`).
            """)

    @OptionGroup var options: DashboardOptions

    @Option(name: .long, help: "Port for the embedded emulator (default: a free port).")
    var emulatorPort: Int = 0

    @Option(
        name: .long, parsing: .singleValue,
        help: ArgumentHelp("Inject a fault, e.g. cost.query=status:500 (repeatable; see `qlp emulate --help`).", valueName: "endpoint=spec")
    )
    var fault: [String] = []

    @Option(name: .long, help: "Seed for the emulated spending history.")
    var seed: UInt64 = 42

    @Option(name: .long, help: ArgumentHelp("How often to poll cost (the emulator is not throttled).", valueName: "duration"))
    var costRefresh: String = "15s"

    @Option(name: .long, help: ArgumentHelp("How long to wait for one request.", valueName: "duration"))
    var requestTimeout: String = "5s"

    @Option(name: .long, help: "Rows per Cost Management page (small values exercise paging).")
    var pageSize: Int = 250

    @Option(name: .long, help: "Port for the embedded gateway's OpenAI-compatible endpoint (default: a free port).")
    var gatewayPort: Int = 0

    @Option(name: .long, help: "Port for the embedded gateway's admin API, for `qlp routes` (default: a free port).")
    var adminPort: Int = 0

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let refresh = DurationText.parse(costRefresh), refresh >= .seconds(1) else {
            throw CommandFailure.exit("--cost-refresh '\(costRefresh)': expected a duration of at least 1s, such as 15s")
        }
        guard let timeout = DurationText.parse(requestTimeout), timeout >= .milliseconds(100) else {
            throw CommandFailure.exit("--request-timeout '\(requestTimeout)': expected a duration such as 5s")
        }
        let faults: [EmulatedEndpoint: EndpointFault]
        do {
            faults = try FaultSpec.parseAll(fault)
        } catch {
            throw CommandFailure.exit(error.description)
        }
        let (config, configPath) = try loadConfig(environment: environment)
        do {
            _ = try LoggingSetup.toFile(config.dashboard.logFile, level: LoggingSetup.levelFromEnvironment)
        } catch {
            throw CommandFailure.exit("cannot open the log file \(config.dashboard.logFile): \(error.localizedDescription)")
        }

        let world = try await DemoWorld.start(
            plan: config.budget, now: Date(), seed: seed, port: emulatorPort, faults: faults,
            pageSize: pageSize, timeout: timeout, routing: config.routing,
            azureOpenAI: config.azureOpenAI)
        // The history the emulator bills, in the demo's ledger, and the keys its traffic uses.
        let clients: [DemoKeys.Client]
        do {
            _ = try world.fillUsageLedger(stateDirectory: config.dashboard.stateDirectory, now: Date())
            clients = try world.prepareKeys(stateDirectory: config.dashboard.stateDirectory, now: Date())
        } catch {
            await world.stop()
            throw CommandFailure.runtime("the demo's usage ledger or keys: \(error)")
        }
        var azure = world.azure
        azure.monitor = world.monitorSettings(discover: config.demoMonitorDiscovery)
        var dashboard = config.dashboard
        dashboard.costRefresh = refresh
        dashboard.requestTimeout = timeout
        let launcher = DashboardLauncher(
            plan: world.plan, azure: azure, dashboard: dashboard, isDemo: true, configPath: configPath,
            historyPath: dashboard.stateDirectory + "/demo.sqlite",
            colorsAllowed: DashboardLauncher.colorsAllowed(flag: options.noColor, settings: dashboard, environment: environment),
            throttling: DemoWorld.throttling, atlas: world.atlasSettings, notifications: config.notifications,
            readOnlyFlag: options.readOnly,
            themeChoice: options.theme, blockGlyphsFlag: options.blockGlyphs,
            gateway: world.gateway(
                for: config, port: gatewayPort, adminPort: adminPort,
                adminToken: DemoWorld.newAdminToken(),
                clients: clients))
        let result: Result<DashboardExit, any Error>
        do {
            result = .success(try await launcher.run(credential: world.credential, transport: world.transport))
        } catch {
            result = .failure(error)
        }
        await world.stop()
        switch result {
        case .success(let exit):
            if exit.status != 0 { throw ExitCode(exit.status) }
        case .failure(let error as TerminalError):
            throw CommandFailure.exit(error.description)
        case .failure(let error):
            throw error
        }
    }

    /// The user's config when one is found (its azure section is not needed),
    /// otherwise the example compiled into the binary.
    private func loadConfig(environment: [String: String]) throws -> (QLPConfiguration, String) {
        let explicit = options.config != nil || !(environment["QLP_CONFIG"] ?? "").isEmpty
        let location: ConfigLocation? =
            explicit
            ? try located(environment: environment)
            : (try? ConfigLoader.locate(flag: nil, environment: environment))
        do {
            guard let location else {
                let config = try ConfigParser(environment: environment, requireAzure: false)
                    .parse(yaml: ExampleConfiguration.yaml, file: ExampleConfiguration.name)
                return (config, ExampleConfiguration.name)
            }
            return (try ConfigLoader.load(location, environment: environment, requireAzure: false), location.path)
        } catch {
            throw CommandFailure.exit(error.description)
        }
    }

    /// A config the user named must exist.
    private func located(environment: [String: String]) throws -> ConfigLocation {
        do {
            return try ConfigLoader.locate(flag: options.config, environment: environment)
        } catch {
            throw CommandFailure.exit(error.description)
        }
    }
}
