import Foundation
import Logging
import QLPCore
import QLPHTTP
import QLPRouting
import QLPStore
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
        case keyStore(KeyStoreError)
        case ledger(StoreError)

        public var description: String {
            switch self {
            case .database(let path, let reason): "cannot open the route database \(path): \(reason)"
            case .clientKeys(let error): error.description
            case .keyStore(let error): "cannot read the client keys: \(error.description)"
            case .ledger(let error): "cannot read the usage ledger: \(error.description)"
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
    /// And takes up the versions a shared store announces (Redis).
    private let watching = Mutex<[Task<Void, Never>]>([])
    /// Writes the usage ledger, and looks for key changes `qlp keys` committed.
    private let accountingTasks = Mutex<[Task<Void, Never>]>([])
    private let accounting: GatewayAccounting
    /// The port the admin API bound (gateway.admin_listen may ask for any free one), once it has.
    private let adminBoundPort = BoundPort()

    /// Opens the route database (seeding it from `configTable` the first time)
    /// and builds the stack; nothing listens until `start`.
    /// - Parameter replicaName: what the admin API's /admin/replica calls this replica (fleet.replica_name).
    public convenience init(
        configTable: RouteTable, databasePath: String, settings: GatewaySettings, upstream: UpstreamSettings,
        accounting: GatewayAccounting = GatewayAccounting(), logger: Logger = Logger(label: "qlp.gateway"),
        replicaName: String = AdminReplicaView.hostName, now: Date = Date()
    ) throws(OpenError) {
        let authority: RouteAuthority
        do {
            authority = try RouteAuthority.open(databasePath: databasePath, configTable: configTable)
        } catch {
            throw .database(path: databasePath, reason: "\(error)")
        }
        try self.init(
            authority: authority, settings: settings, upstream: upstream, accounting: accounting, logger: logger,
            replicaName: replicaName, now: now)
    }

    /// Builds the stack on an authority already opened on its store (a fleet's, on Redis); nothing listens until `start`.
    public init(
        authority: RouteAuthority, settings: GatewaySettings, upstream: UpstreamSettings,
        accounting: GatewayAccounting = GatewayAccounting(), logger: Logger = Logger(label: "qlp.gateway"),
        replicaName: String = AdminReplicaView.hostName, now: Date = Date()
    ) throws(OpenError) {
        self.authority = authority
        self.accounting = accounting
        let stored: [VirtualKey]
        do throws(KeyStoreError) {
            stored = try accounting.keyStore?.keys() ?? []
        } catch {
            throw .keyStore(error)
        }
        let spent: [UsageRollup]
        do throws(StoreError) {
            spent = try accounting.ledger?.rollups(from: accounting.earliestPeriodStart(now: now), to: now.addingTimeInterval(3600)) ?? []
        } catch {
            throw .ledger(error)
        }
        let keys: KeyGate
        do throws(ClientKeys.ParseError) {
            keys = try KeyGate(
                configDigests: settings.clientKeyHashes, stored: stored, usage: spent, timeZone: accounting.timeZone,
                currency: accounting.currency, now: now)
        } catch {
            throw .clientKeys(error)
        }
        let writer = accounting.ledger.map { ledger in
            UsageLedgerWriter(ledger: ledger, capacity: accounting.ledgerCapacity) { error in
                logger.error("usage rows lost", metadata: ["error": "\(error)"])
            }
        }
        do {
            let store = authority.store
            gateway = try Gateway(
                settings: settings, routes: authority.live, upstream: upstream, keys: keys, usageLedger: writer,
                storeStatus: { store.status }, logger: logger)
        } catch {
            throw .clientKeys(error)
        }
        self.settings = settings
        let adminBoundPort = self.adminBoundPort
        server = GatewayServer(
            gateway: gateway,
            alongside: [
                AdminService(
                    authority: authority, settings: settings, gateway: gateway, replicaName: replicaName,
                    startedAt: now
                ) { port in
                    adminBoundPort.port.withLock { $0 = port }
                }
            ])
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
        watching.withLock { $0 = [Task { await authority.watchStore() }, Task { await authority.followAnnouncements() }] }
        startAccounting()
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

    /// Stops the probes, drains (requests and streams in flight get until
    /// gateway.drain_timeout; see ``GatewayServer/stop()``), closes every connection.
    @discardableResult
    public func stop() async -> GatewayServer.DrainOutcome {
        probing.withLock { task in
            task?.cancel()
            task = nil
        }
        watching.withLock { tasks in
            for task in tasks { task.cancel() }
            tasks = []
        }
        let outcome = await server.stop()
        // After the server: the last requests' rows are queued by now, and the writer's last flush takes them.
        let tasks = accountingTasks.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        gateway.usageLedger?.stop()
        probeTransport.shutdown()
        return outcome
    }
}

extension GatewayStack {
    private func startAccounting() {
        var tasks: [Task<Void, Never>] = []
        gateway.usageLedger?.start()
        if let store = accounting.keyStore {
            let keys = gateway.keys
            let interval = accounting.keyRefresh
            let logger = gateway.logger
            tasks.append(
                Task {
                    var seen = try? store.changeCount()
                    var failing = false
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        do throws(KeyStoreError) {
                            let count = try store.changeCount()
                            if count != seen {
                                keys.reload(stored: try store.keys())
                                seen = count
                            }
                            if failing { logger.info("client keys readable again") }
                            failing = false
                        } catch {
                            // The keys loaded last stay in force; said once, not every look.
                            if !failing {
                                logger.error(
                                    "cannot read the client keys; the last ones read stay in force",
                                    metadata: ["error": "\(error)"])
                            }
                            failing = true
                        }
                    }
                })
        }
        accountingTasks.withLock { $0 = tasks }
    }
}

/// A listener's port, set from its own task once bound and read from others.
private final class BoundPort: Sendable {
    let port = Mutex<Int?>(nil)
}
