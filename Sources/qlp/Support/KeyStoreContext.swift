import ArgumentParser
import Foundation
import QLPConfig
import QLPCore
import QLPGateway
import QLPStore

/// What every `qlp keys` command works on: the key store file of the state
/// directory the gateway uses, and what the config (when there is one) says
/// about keys: its routes, its listed keys, the budget's currency and time zone.
///
/// The config is found as for the other commands. With none found the store
/// is the default state directory's, as `qlp routes` looks there too; with
/// --demo and none found, the built-in example's, as `qlp demo` uses.
struct KeyStoreContext {
    var store: SQLiteKeyStore
    var storePath: String
    /// The config file's path (or the built-in example's name); nil when none was found.
    var configName: String?
    var configuration: QLPConfiguration?
    var timeZone: TimeZone
    var currency: Currency

    /// Opens the store; a config that is found must be right (its mistakes
    /// would stop the gateway too), one that is named must exist.
    static func open(configFlag: String?, demo: Bool, environment: [String: String]) throws -> KeyStoreContext {
        let (configuration, name) = try loadConfiguration(flag: configFlag, demo: demo, environment: environment)
        let stateDirectory = configuration?.dashboard.stateDirectory ?? DashboardSettings.defaultStateDirectory(environment: environment)
        let path = AccountingFiles.keysPath(stateDirectory: stateDirectory, demo: demo)
        let store: SQLiteKeyStore
        do throws(StoreError) {
            store = try SQLiteKeyStore(path: path)
        } catch {
            throw CommandFailure.runtime(error.description)
        }
        let zoneName = configuration?.budget.billingTimeZone ?? "Europe/London"
        return KeyStoreContext(
            store: store, storePath: path, configName: name, configuration: configuration,
            timeZone: TimeZone(identifier: zoneName) ?? TimeZone(identifier: "UTC")!,
            currency: configuration?.budget.currency ?? .gbp)
    }

    private static func loadConfiguration(flag: String?, demo: Bool, environment: [String: String]) throws
        -> (QLPConfiguration?, String?)
    {
        let explicit = flag != nil || !(environment["QLP_CONFIG"] ?? "").isEmpty
        let location: ConfigLocation?
        do {
            location = try ConfigLoader.locate(flag: flag, environment: environment)
        } catch {
            if explicit { throw CommandFailure.exit(error.description) }
            location = nil
        }
        do {
            if let location {
                return (try ConfigLoader.load(location, environment: environment, requireAzure: false), location.path)
            }
            guard demo else { return (nil, nil) }
            let example = try ConfigParser(environment: environment, requireAzure: false)
                .parse(yaml: ExampleConfiguration.yaml, file: ExampleConfiguration.name)
            return (example, ExampleConfiguration.name)
        } catch {
            throw CommandFailure.exit(error.description)
        }
    }

    /// The routing section's route names, in file order; nil with no config.
    var routeNames: [String]? {
        guard let configuration else { return nil }
        return configuration.routing?.routes.map(\.name) ?? []
    }

    /// The keys `gateway.client_key_sha256` lists, named as the gateway names
    /// them (ConfigListedKeys). A digest that is not one stops the command as
    /// it would stop the gateway.
    func configKeys(now: Date) throws -> [VirtualKey] {
        guard let configuration else { return [] }
        do throws(ClientKeys.ParseError) {
            let digests = try ClientKeys.validated(hexDigests: configuration.gateway.clientKeyHashes)
            return ConfigListedKeys.keys(hexDigests: digests, loadedAt: now)
        } catch {
            throw CommandFailure.exit("\(configName ?? "the config"): \(error.description)")
        }
    }

    /// Every key: the config's first, then the store's by name (the gateway's order).
    func allKeys(now: Date) throws -> [VirtualKey] {
        let configKeys = try configKeys(now: now)
        do throws(KeyStoreError) {
            return configKeys + (try store.keys())
        } catch {
            throw Self.failure(error)
        }
    }

    /// A store error as the command's exit: a wrong name is the command
    /// line's mistake (2), a file that cannot be read or written is not (1).
    static func failure(_ error: KeyStoreError) -> ExitCode {
        switch error {
        case .store: CommandFailure.runtime(error.description)
        case .duplicateName, .unknownKey, .alreadyRevoked: CommandFailure.exit(error.description)
        }
    }
}
