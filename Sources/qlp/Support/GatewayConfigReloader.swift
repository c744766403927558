import Foundation
import Logging
import QLPConfig
import QLPCore
import QLPGateway
import QLPRouting
import QLPStore

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
    let notifications: GatewayNotifications
    /// Whether the gateway reads Azure spend (decided at start): a sink added for budget alerts cannot start it.
    let readsSpend: Bool
    let logger: Logger

    func reload() async {
        logger.info("config reload requested (SIGHUP)", metadata: ["file": "\(location.path)"])
        let loaded: QLPConfiguration
        do {
            loaded = try ConfigLoader.load(
                location, environment: environment, requireAzure: false,
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
            logger.error(
                "config reload failed; the running config stays",
                metadata: ["errors": "\(location.path): the routing section is required to run the gateway"])
            return
        }
        for key in ConfigReload.needingRestart(running: started, edited: edited) {
            logger.warning("config change needs a restart; the running value stays", metadata: ["key": "\(key)"])
        }
        let table = RouteTable(settings: routing, azureOpenAI: edited.azureOpenAI, ollama: edited.ollama)
        do throws(GatewayStack.ReloadError) {
            let reloaded = try await stack.reload(configTable: table, settings: edited.gateway)
            var changed = reloaded.changedKeys
            if await reloadSinks(edited.notifications) { changed.append("notifications.sinks") }
            logger.info(
                "config reloaded",
                metadata: [
                    "routes_version": "\(reloaded.routesVersion.map(String.init) ?? "unchanged")",
                    "changed": "\(changed.isEmpty ? "none" : changed.joined(separator: ","))",
                ])
        } catch {
            logger.error(
                "config reload failed; the running config stays",
                metadata: ["errors": "\(location.path): \(error.description)"])
        }
    }

    /// Takes up edited sinks; true when they changed.
    private func reloadSinks(_ edited: NotificationSettings) async -> Bool {
        let change: GatewayNotifications.Change
        do throws(StoreError) {
            change = try await notifications.reload(edited)
        } catch {
            logger.error(
                "notification sinks not changed: the outbox cannot be opened; the running sinks stay",
                metadata: ["error": "\(error.description)"])
            return false
        }
        guard !change.isEmpty else { return false }
        logger.info(
            "notification sinks reloaded",
            metadata: [
                "added": "\(change.added)", "removed": "\(change.removed)", "edited": "\(change.edited)",
            ])
        if edited.wantsSpend && !readsSpend {
            logger.warning(
                "config change needs a restart; the running value stays",
                metadata: [
                    "key": "notifications.sinks",
                    "reason": "a sink takes budget alerts, and this gateway reads Azure spend only from a start",
                ])
        }
        return true
    }
}
