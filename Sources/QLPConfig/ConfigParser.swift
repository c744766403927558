import Foundation
import QLPCore
import Yams

/// Turns the text of a config file into a `QLPConfiguration`, or every
/// problem in it, each with file, line and key.
public struct ConfigParser: Sendable {
    /// Whether the `azure` section must be present and complete. The demo
    /// replaces it with the emulator's, so there it is only checked if present.
    public var requireAzure: Bool
    public var environment: [String: String]

    public init(environment: [String: String], requireAzure: Bool = true) {
        self.environment = environment
        self.requireAzure = requireAzure
    }

    static let sections = [
        "azure", "budget", "azure_openai", "ollama", "mongodb_atlas", "routing", "dashboard", "gateway", "notifications", "fleet",
    ]

    public func parse(yaml: String, file: String) throws(ConfigErrors) -> QLPConfiguration {
        let root: Node
        do {
            // The basic resolver tags nothing: ConfigReader types every scalar
            // itself, and Yams' default resolver would compile its tag
            // patterns with NSRegularExpression, loading ICU's code and data
            // (about 3 MB resident) into a process that has no other use for them.
            guard let node = try Yams.compose(yaml: yaml, .basic) else {
                throw ConfigErrors([ConfigError(file: file, message: "the file is empty; start from config/qlp.yaml in the qlp repository")]
                )
            }
            root = node
        } catch let error as ConfigErrors {
            throw error
        } catch let error as YamlError {
            throw ConfigErrors([Self.syntaxError(error, file: file)])
        } catch {
            throw ConfigErrors([ConfigError(file: file, message: "cannot read YAML: \(error)")])
        }

        let reader = ConfigReader(file: file, environment: environment)
        let top = reader.mapping(ConfigValue(node: root, path: []), allowed: Self.sections)
        var azure: AzureSettings?
        var budget: BudgetPlan?
        var dashboard: DashboardSettings?
        var azureOpenAI: AzureOpenAISettings?
        var ollama: OllamaSettings?
        var atlas: MongoDBAtlasSettings?
        var routing: RoutingSettings?
        var gateway: GatewaySettings?
        var notifications: NotificationSettings?
        var fleet: FleetSettings?
        var demoMonitorDiscovery = false
        if let top {
            if requireAzure {
                if let section = reader.required(top, "azure") { azure = AzureSectionParser.parse(section, reader) }
            } else if let section = reader.optional(top, "azure"), let map = reader.mapping(section) {
                // Present in a demo run: its values are replaced, so it is not read, but for whether to discover resources.
                azure = nil
                demoMonitorDiscovery =
                    reader.optional(map, "monitor").flatMap { reader.mapping($0) }
                    .flatMap { reader.optional($0, "discover") }.flatMap(reader.bool) ?? false
            }
            if let section = reader.required(top, "budget") { budget = BudgetSectionParser.parse(section, reader) }
            if let section = reader.optional(top, "azure_openai") { azureOpenAI = ModelSectionsParser.azureOpenAI(section, reader) }
            if let section = reader.optional(top, "ollama") { ollama = ModelSectionsParser.ollama(section, reader) }
            if let section = reader.optional(top, "mongodb_atlas") { atlas = ModelSectionsParser.atlas(section, reader) }
            if let section = reader.optional(top, "routing") {
                routing = RoutingSectionParser.parse(section, reader, azureOpenAI: azureOpenAI, ollama: ollama, budget: budget)
            }
            dashboard = DashboardSectionParser.parse(reader.optional(top, "dashboard"), reader, environment: environment)
            gateway = GatewaySectionParser.parse(reader.optional(top, "gateway"), reader)
            notifications = NotificationsSectionParser.parse(reader.optional(top, "notifications"), reader)
            if let section = reader.optional(top, "fleet") { fleet = FleetSectionParser.parse(section, reader) }
        }
        guard reader.errors.isEmpty, let budget, let dashboard, let gateway, let notifications, azure != nil || !requireAzure else {
            throw ConfigErrors(
                reader.errors.isEmpty
                    ? [ConfigError(file: file, message: "the configuration is incomplete")] : reader.errors)
        }
        var configuration = QLPConfiguration(
            azure: azure, budget: budget, azureOpenAI: azureOpenAI, ollama: ollama,
            mongodbAtlas: atlas, routing: routing, dashboard: dashboard, gateway: gateway)
        configuration.notifications = notifications
        configuration.fleet = fleet
        configuration.demoMonitorDiscovery = demoMonitorDiscovery
        configuration.warnings = reader.warnings.map { "warning: \($0.description)" }
        return configuration
    }

    static func syntaxError(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigError(file: file, line: mark.line, column: mark.column, message: "YAML syntax error: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigError(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(duplicates.joined(separator: ", ")) in one section")
        case .reader(let problem, _, _, _):
            return ConfigError(file: file, message: "cannot read the file as text: \(problem)")
        default:
            return ConfigError(file: file, message: "YAML error: \(error)")
        }
    }
}
