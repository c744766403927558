import Synchronization

/// How often the live gateway panels (routes, models) are fetched; `:refresh`
/// changes it while the dashboard runs.
public final class RefreshInterval: Sendable {
    private let value: Mutex<Duration>

    public init(_ initial: Duration) {
        value = Mutex(initial)
    }

    public var current: Duration {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
