import Foundation
import Logging
import QLPCore
import QLPRouting

/// Everything a gateway request uses, built once: the live route table, the
/// targets' health, the metrics, the upstream client, the client keys and the
/// retry policy. The HTTP server (GatewayService) and the dashboard share it.
public final class Gateway: Sendable {
    public let settings: GatewaySettings
    public let routes: LiveRouteTable
    public let health: TargetHealthBoard
    public let metrics: GatewayMetrics
    public let upstream: UpstreamClient
    /// Which targets served each route lately (the dashboard's observed shares).
    public let traffic: RouteTrafficWindow
    let keys: ClientKeys
    let retryPolicy: RetryPolicy
    let logger: Logger

    public init(settings: GatewaySettings, routes: LiveRouteTable, upstream: UpstreamSettings,
                health: TargetHealthBoard? = nil, metrics: GatewayMetrics = GatewayMetrics(),
                traffic: RouteTrafficWindow = RouteTrafficWindow(),
                logger: Logger = Logger(label: "qlp.gateway")) throws(ClientKeys.ParseError) {
        self.settings = settings
        self.traffic = traffic
        self.routes = routes
        self.health = health ?? TargetHealthBoard(settings: settings)
        self.metrics = metrics
        self.upstream = UpstreamClient(settings: upstream)
        keys = try ClientKeys(hexDigests: settings.clientKeyHashes)
        retryPolicy = RetryPolicy(maxAttempts: settings.maxAttempts, maxRetryAfterWait: settings.maxRetryAfterWait.seconds)
        self.logger = logger
    }

    /// Closes the upstream connections; call once the server has stopped.
    public func shutdown() async {
        try? await upstream.shutdown()
    }
}
