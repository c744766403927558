import Foundation
import QLPCore
import QLPRouting
import QLPStore

extension GatewayStack {
    public enum ReloadError: Error, CustomStringConvertible {
        case clientKeys(ClientKeys.ParseError)
        case routes(StoreError)
        case openBeyondLoopback(host: String)

        public var description: String {
            switch self {
            case .openBeyondLoopback(let host):
                "gateway.client_key_sha256 is empty and no key was made with `qlp keys`: the gateway listens on \(host), beyond "
                    + "loopback, and would let anyone who can reach it spend the upstreams' credit; the keys in force stay"
            case .clientKeys(let error): error.description
            case .routes(let error): "the route store did not take the edited routing: \(error.description)"
            }
        }
    }

    /// What a reload took up.
    public struct Reloaded: Sendable, Equatable {
        /// The route table version now served when the routing edit made one; nil when it changed nothing in force.
        public var routesVersion: Int?
        /// Live gateway keys whose values changed (``GatewayLiveSetting``).
        public var changedKeys: [String]
    }

    /// Takes up an edited config while serving: its routing merged into the
    /// route store as at start (a new version audited by "config"), then its
    /// client keys and per-request limits. Checked before anything changes: a
    /// malformed key hash leaves everything as it was.
    public func reload(configTable: RouteTable, settings edited: GatewaySettings) async throws(ReloadError) -> Reloaded {
        do {
            _ = try ClientKeys.validated(hexDigests: edited.clientKeyHashes)
        } catch {
            throw .clientKeys(error)
        }
        // The rule start-up applies (GatewayServer.start): never open beyond loopback without keys.
        guard LoopbackHost.contains(settings.host) || !edited.clientKeyHashes.isEmpty || gateway.keys.holdsStoredKeys else {
            throw .openBeyondLoopback(host: settings.host)
        }
        let version: Int?
        do {
            version = try await authority.reload(configTable: configTable)
        } catch {
            throw .routes(error)
        }
        do {
            try gateway.keys.reload(configDigests: edited.clientKeyHashes)
        } catch {
            // Validated above.
            throw .clientKeys(error)
        }
        return Reloaded(routesVersion: version, changedKeys: gateway.applyLiveSettings(from: edited))
    }
}
