import Foundation
import Logging
import QLPCore
import QLPHTTP
import QLPRouting
import Synchronization

/// The whole gateway as one thing to start and stop: the route authority on
/// its database, the data plane, the admin API and the model probes. `qlp
/// gateway` runs it headless; `qlp dash` and `qlp demo` run the same stack
/// inside the dashboard's process, so an operator's change there takes the
/// path a `qlp routes` change takes.
public final class GatewayStack: Sendable {
    public enum OpenError: Error, CustomStringConvertible {
        case database(path: String, reason: String)
        case clientKeys(ClientKeys.ParseError)

        public var description: String {
            switch self {
            case .database(let path, let reason): "cannot open the route database \(path): \(reason)"
            case .clientKeys(let error): error.description
            }
        }
    }

    public let authority: RouteAuthority
    public let gateway: Gateway
    /// Requests per route and target over the last seconds, for observed shares.
    public var traffic: RouteTrafficWindow { gateway.traffic }
    public let settings: GatewaySettings
    private let server: GatewayServer
    private let prober: ModelProber
    private let probeTransport: CurlTransport
    private let probing = Mutex<Task<Void, Never>?>(nil)
    /// Looks for route changes another process committed to the same database.
    private let watching = Mutex<Task<Void, Never>?>(nil)
    /// The port the admin API bound (gateway.admin_listen may ask for any free one), once it has.
    private let adminBoundPort = BoundPort()

    /// Opens the route database (seeding it from `configTable` the first time)
    /// and builds the stack; nothing listens until `start`.
    public init(configTable: RouteTable, databasePath: String, settings: GatewaySettings, upstream: UpstreamSettings,
                logger: Logger = Logger(label: "qlp.gateway")) throws(OpenError) {
        do {
            authority = try RouteAuthority.open(databasePath: databasePath, configTable: configTable)
        } catch {
            throw .database(path: databasePath, reason: "\(error)")
        }
        do {
            gateway = try Gateway(settings: settings, routes: authority.live, upstream: upstream, logger: logger)
        } catch {
            throw .clientKeys(error)
        }
        self.settings = settings
        let adminBoundPort = self.adminBoundPort
        server = GatewayServer(gateway: gateway, alongside: [AdminService(authority: authority, settings: settings) { port in
            adminBoundPort.port.withLock { $0 = port }
        }])
        // Probes measure targets real traffic has not measured lately; their
        // results move the same breakers and latency estimates as traffic.
        probeTransport = CurlTransport()
        let live = authority.live
        let health = gateway.health
        let interval = settings.probeInterval
        prober = ModelProber(
            // A stand-in endpoint is probed at the address it stands for, as requests are sent there.
            targets: {
                ProbeTarget.all(in: live.snapshot.table).map { probe in
                    var resolved = probe
                    resolved.target.endpoint = upstream.liveEndpoint(of: probe.target)
                    return resolved
                }
            },
            settings: ModelProber.Settings(gateway: settings, upstream: upstream),
            transport: probeTransport,
            servedRecently: { health.servedRecently($0, within: interval.seconds) },
            onResult: { result in
                health.record(result)
                if let failure = result.failure {
                    logger.info("probe failed", metadata: ["target": "\(result.target)", "reason": "\(failure.reason)"])
                }
            })
    }

    /// What the probes have cost so far (they spend real tokens on Azure).
    public var probeTotals: ProbeTotals { prober.totals }

    /// Starts the data plane on `host:port` (the admin API on its own
    /// configured listener) and the probes; returns the data plane's base URL.
    public func start(host: String, port: Int) async throws(GatewayServer.StartError) -> String {
        let base = try await server.start(host: host, port: port)
        let prober = self.prober
        probing.withLock { $0 = Task { await prober.run() } }
        let authority = self.authority
        watching.withLock { $0 = Task { await authority.watchStore() } }
        return base
    }

    /// The admin API's base URL once it listens (http://127.0.0.1:PORT), waiting
    /// up to `timeout` for it to bind; nil if it has not by then.
    public func adminBase(timeout: Duration = .seconds(5)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let port = adminBoundPort.port.withLock({ $0 }), port > 0 {
                var bound = settings
                bound.adminPort = port
                return AdminAPIClient.baseURL(for: bound)
            }
            guard ContinuousClock.now < deadline else { return nil }
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                return nil
            }
        }
    }

    /// Stops the probes, lets requests in flight finish, closes every connection.
    public func stop() async {
        probing.withLock { task in
            task?.cancel()
            task = nil
        }
        watching.withLock { task in
            task?.cancel()
            task = nil
        }
        await server.stop()
        probeTransport.shutdown()
    }
}

/// A listener's port, set from its own task once bound and read from others.
private final class BoundPort: Sendable {
    let port = Mutex<Int?>(nil)
}
