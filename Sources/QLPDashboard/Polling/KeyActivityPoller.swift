import Foundation
import QLPCore
import QLPFeed

/// Keeps the Keys view's figures: each client key's limits and use, read from
/// the gateway running in this process. The source is a plain function (the
/// `qlp` executable passes its gateway's key gate), so the dashboard needs no
/// gateway types, and a test feeds it fixed values.
public struct KeyActivityPoller: FeedPoller {
    public var source: @Sendable () -> [KeyActivity]
    public var store: DashboardStateStore
    public var interval: RefreshInterval
    public var wake: WakeSignal

    public init(
        source: @escaping @Sendable () -> [KeyActivity], store: DashboardStateStore, interval: RefreshInterval,
        wake: WakeSignal
    ) {
        self.source = source
        self.store = store
        self.interval = interval
        self.wake = wake
    }

    public func run() async {
        store.update { $0.keysConnected = true }
        while !Task.isCancelled {
            refresh(now: Date())
            await wake.wait(for: interval.current)
        }
    }

    /// One read of the source. It is in memory and cannot fail, so the panel
    /// only goes stale if this loop stops running.
    public func refresh(now: Date) {
        let keys = source()
        let staleAfter = interval.current * 3 + .seconds(5)
        store.update {
            $0.keys.staleAfter = staleAfter
            $0.keys.succeed(keys, at: now)
        }
    }
}
