import Foundation
import Hummingbird
import Logging
import QLPCore
import QLPStore
import ServiceLifecycle

/// The admin API's own listener (gateway.admin_listen, 127.0.0.1:8089 by
/// default) as a ServiceLifecycle service, to run alongside the gateway.
public struct AdminService: Service {
    public let authority: RouteAuthority
    public let host: String
    public let port: Int
    private let authorization: AdminAuthorization
    private let idleTimeout: Duration
    /// No browser origin is allowed here: the admin API is for `qlp routes` and the dashboard.
    private let callers: HostAndOriginPolicy
    private let logger: Logger
    private let onListening: @Sendable (Int) -> Void
    private let replica: AdminRouter.Replica

    /// `port` 0 picks a free port; `onListening` is told the port once bound.
    /// - Parameters:
    ///   - gateway: the data plane whose traffic and targets /admin/traffic and /admin/targets report; nil: none runs here.
    ///   - replicaName: what /admin/replica calls this replica (fleet.replica_name; the host name by default).
    public init(
        authority: RouteAuthority, settings: GatewaySettings,
        gateway: Gateway? = nil, replicaName: String = AdminReplicaView.hostName, startedAt: Date = Date(),
        host: String? = nil, port: Int? = nil,
        logger: Logger = Logger(label: "qlp.admin"), onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.authority = authority
        replica = AdminRouter.Replica(name: replicaName, startedAt: startedAt, gateway: gateway)
        self.host = host ?? settings.adminHost
        self.port = port ?? settings.adminPort
        authorization = AdminAuthorization(settings: settings)
        idleTimeout = settings.idleTimeout
        callers = HostAndOriginPolicy(listenHost: host ?? settings.adminHost, allowedHosts: settings.allowedHosts, allowedOrigins: [])
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let onListening = self.onListening
        if !authorization.acceptsAnyToken {
            logger.warning("no gateway.admin_token configured: the admin API refuses every request")
        }
        let app = Application(
            router: AdminRouter.make(
                authority: authority, replica: replica, authorization: authorization, logger: logger,
                callers: callers),
            // As the data plane's listener: idle connections close after gateway.idle_timeout.
            server: .gatewayHTTP1(idleTimeout: idleTimeout.seconds),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "qlp-admin"),
            onServerRunning: { channel in
                await ListenerAcceptBatch.apply(to: channel)
                onListening(channel.localAddress?.port ?? 0)
            },
            logger: logger)
        // A service of the gateway's group (see GatewayService.run): stopped by its drain, not by SIGTERM directly.
        try await app.run()
    }
}
