import Foundation
import Logging
import QLPCore
import QLPRouting
import QLPStore
import Synchronization

/// Everything a gateway request uses, built once: the live route table, the
/// targets' health, the metrics, the upstream client, the client keys, the
/// usage ledger and the retry policy. The HTTP server (GatewayService) and the dashboard share it.
public final class Gateway: Sendable {
    /// The settings in force; the per-request limits among them can change
    /// while serving (``applyLiveSettings(from:)``, on SIGHUP).
    public var settings: GatewaySettings { liveSettings.withLock { $0 } }
    private let liveSettings: Mutex<GatewaySettings>
    public let routes: LiveRouteTable
    public let health: TargetHealthBoard
    public let metrics: GatewayMetrics
    public let upstream: UpstreamClient
    /// Which targets served each route lately (the dashboard's observed shares).
    public let traffic: RouteTrafficWindow
    /// Who may call, with each key's limits and usage.
    public let keys: KeyGate
    /// Where each request's usage goes (off the hot path); nil keeps no ledger.
    public let usageLedger: UsageLedgerWriter?
    /// The route store's state, for `/readyz`; nil where the gateway has none (tests of the data plane alone).
    public let storeStatus: @Sendable () -> RouteStoreStatus?
    /// Set when the gateway stops: /readyz answers 503, and streams end at the drain deadline.
    public let drain = GatewayDrain()
    var retryPolicy: RetryPolicy {
        let settings = self.settings
        return RetryPolicy(maxAttempts: settings.maxAttempts, maxRetryAfterWait: settings.maxRetryAfterWait.seconds)
    }
    let logger: Logger

    public init(
        settings: GatewaySettings, routes: LiveRouteTable, upstream: UpstreamSettings,
        health: TargetHealthBoard? = nil, metrics: GatewayMetrics = GatewayMetrics(),
        traffic: RouteTrafficWindow = RouteTrafficWindow(), keys: KeyGate? = nil, usageLedger: UsageLedgerWriter? = nil,
        storeStatus: @escaping @Sendable () -> RouteStoreStatus? = { nil },
        logger: Logger = Logger(label: "qlp.gateway")
    ) throws(ClientKeys.ParseError) {
        self.storeStatus = storeStatus
        liveSettings = Mutex(settings)
        self.traffic = traffic
        self.routes = routes
        self.health = health ?? TargetHealthBoard(settings: settings)
        self.metrics = metrics
        self.upstream = UpstreamClient(settings: upstream, kind: settings.upstreamClient)
        if let keys {
            self.keys = keys
        } else {
            self.keys = try KeyGate(configDigests: settings.clientKeyHashes, timeZone: TimeZone(identifier: "UTC")!)
        }
        self.usageLedger = usageLedger
        self.logger = logger
    }

    /// Takes up `edited`'s per-request limits and client keys (``GatewayLiveSetting/all``);
    /// returns the keys whose values changed.
    @discardableResult
    public func applyLiveSettings(from edited: GatewaySettings) -> [String] {
        liveSettings.withLock { settings in
            let changed = GatewayLiveSetting.all.filter { !$0.same(settings, edited) }.map(\.key)
            for setting in GatewayLiveSetting.all { setting.take(&settings, edited) }
            return changed
        }
    }

    /// Closes the upstream connections; call once the server has stopped.
    public func shutdown() async {
        try? await upstream.shutdown()
    }
}
