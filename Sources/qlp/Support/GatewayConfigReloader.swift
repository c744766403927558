import Foundation
import Logging
import QLPConfig
import QLPCore
import QLPGateway
import QLPRouting

/// `qlp gateway`'s SIGHUP: reads the config file again (the one it started
/// from) and hands what can change live to the running stack. A config that
/// does not load is logged with its file:line errors and the running config
/// stays; a change only a restart takes up is logged naming its key.
struct GatewayConfigReloader {
    let location: ConfigLocation
    let environment: [String: String]
    /// The config the process started with: what start-only keys are compared against, so
    /// a change that needs a restart is named on every reload until there is one.
    let started: QLPConfiguration
    let stack: GatewayStack
    let logger: Logger

    func reload() async {
        logger.info("config reload requested (SIGHUP)", metadata: ["file": "\(location.path)"])
        let loaded: QLPConfiguration
        do {
            loaded = try ConfigLoader.load(location, environment: environment, requireAzure: false,
                                           notify: { [logger] warning in logger.warning("config: \(warning)") })
        } catch {
            logger.error("config reload failed; the running config stays", metadata: ["errors": "\(error.description)"])
            return
        }
        let edited: QLPConfiguration
        do {
            edited = try await GatewaySecrets.resolve(loaded, location: location, environment: environment)
        } catch {
            logger.error("config reload failed; the running config stays", metadata: ["errors": "\(error.description)"])
            return
        }
        guard let routing = edited.routing else {
            logger.error("config reload failed; the running config stays",
                         metadata: ["errors": "\(location.path): the routing section is required to run the gateway"])
            return
        }
        for key in ConfigReload.needingRestart(running: started, edited: edited) {
            logger.warning("config change needs a restart; the running value stays", metadata: ["key": "\(key)"])
        }
        let table = RouteTable(settings: routing, azureOpenAI: edited.azureOpenAI, ollama: edited.ollama)
        do throws(GatewayStack.ReloadError) {
            let reloaded = try await stack.reload(configTable: table, settings: edited.gateway)
            logger.info("config reloaded", metadata: [
                "routes_version": "\(reloaded.routesVersion.map(String.init) ?? "unchanged")",
                "changed": "\(reloaded.changedKeys.isEmpty ? "none" : reloaded.changedKeys.joined(separator: ","))"])
        } catch {
            logger.error("config reload failed; the running config stays",
                         metadata: ["errors": "\(location.path): \(error.description)"])
        }
    }
}
