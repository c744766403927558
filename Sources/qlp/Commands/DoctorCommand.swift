import ArgumentParser
import Foundation
import QLPAzure
import QLPConfig
import QLPCore
import QLPHTTP

/// `qlp doctor`: what is wrong, and what to do about it.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the config, credentials, every Azure endpoint qlp uses and what the gateway needs; exit 0 only if all pass.")

    @Option(help: ArgumentHelp("Config file (default lookup as for the dashboard).", valueName: "file"))
    var config: String?

    @Flag(help: "Check against the embedded emulator.")
    var demo = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let location: ConfigLocation
        let configuration: QLPConfiguration
        do {
            if demo, config == nil, (try? ConfigLoader.locate(flag: nil, environment: environment)) == nil {
                location = ConfigLocation(path: ExampleConfiguration.name, origin: .workingDirectory)
                configuration = try ConfigParser(environment: environment, requireAzure: false).parse(
                    yaml: ExampleConfiguration.yaml,
                    file: ExampleConfiguration.name)
            } else {
                location = try ConfigLoader.locate(flag: config, environment: environment)
                configuration = try ConfigLoader.load(location, environment: environment, requireAzure: !demo)
            }
        } catch let error as ConfigError {
            Console.out(DoctorTable.render([DoctorCheck.config(error)]))
            throw ExitCode(ExitStatus.failure)
        } catch let error as ConfigErrors {
            Console.out(DoctorTable.render(error.errors.map(DoctorCheck.config)))
            throw ExitCode(ExitStatus.failure)
        }
        do {
            _ = try LoggingSetup.toFile(configuration.dashboard.logFile, level: LoggingSetup.levelFromEnvironment)
        } catch {
            throw CommandFailure.exit("cannot open the log file \(configuration.dashboard.logFile): \(error.localizedDescription)")
        }

        let checks: [DoctorCheck]
        if demo {
            // With a workload identity's variables set, the emulator trusts that token file and the
            // credential chain runs against it, as it would on AKS; otherwise the demo's own service principal.
            let federatedTokenFile = environment["AZURE_FEDERATED_TOKEN_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            let world = try await DemoWorld.start(
                plan: configuration.budget, now: Date(), routing: configuration.routing,
                azureOpenAI: configuration.azureOpenAI, federatedTokenFile: federatedTokenFile)
            var settings = world.azure
            settings.monitor = world.monitorSettings(discover: configuration.demoMonitorDiscovery)
            var demoConfiguration = configuration
            demoConfiguration.budget = world.plan
            var doctorEnvironment = environment
            if federatedTokenFile != nil {
                settings.credential = .auto
                settings.endpoints.managedIdentity = settings.endpoints.authority
                doctorEnvironment = world.emulatedIdentityEnvironment(environment)
            }
            // The demo's gateway reaches the emulator through the stand-in endpoint, the emulator's key or its Entra ID.
            let demoGateway = world.upstream(for: demoConfiguration).map { reached in
                GatewayReadiness(
                    settings: demoConfiguration.gateway, table: reached.table, upstream: reached.upstream,
                    transport: world.transport, configPath: location.path, demo: true)
            }
            checks = await Doctor(
                configuration: demoConfiguration, configPath: location.path, azure: settings,
                environment: doctorEnvironment,
                transport: ThrottlingTransport(wrapping: world.transport, policy: DemoWorld.throttling),
                credentialOverride: federatedTokenFile == nil ? world.credential : nil,
                atlasSettings: world.atlasSettings,
                demoGateway: demoGateway
            ).run()
            await world.stop()
        } else {
            guard let azure = configuration.azure else { throw CommandFailure.exit("the config has no azure section") }
            let transport = CurlTransport()
            defer { transport.shutdown() }
            checks = await Doctor(
                configuration: configuration, configPath: location.path, azure: azure, environment: environment,
                transport: ThrottlingTransport(wrapping: transport), credentialOverride: nil
            ).run()
        }
        Console.out(DoctorTable.render(checks), terminator: "")
        if checks.contains(where: { !$0.passed }) { throw ExitCode(ExitStatus.failure) }
    }
}
