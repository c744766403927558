import QLPFeed
import Synchronization

/// The one place the dashboard's state lives. Pollers change it; the terminal
/// loop reads a snapshot per frame and redraws only when `version` moved.
/// Critical sections are a struct copy, so the terminal thread never waits long.
/// The feed's pollers write their part of it through `FeedStore`.
public final class DashboardStateStore: FeedStore {
    private let storage: Mutex<(state: DashboardState, version: UInt64)>

    public init(_ state: DashboardState) {
        storage = Mutex((state, 0))
    }

    public func update(_ change: (inout DashboardState) -> Void) {
        storage.withLock { current in
            change(&current.state)
            current.version &+= 1
        }
    }

    public func snapshot() -> (state: DashboardState, version: UInt64) {
        storage.withLock { ($0.state, $0.version) }
    }

    public var state: DashboardState { snapshot().state }

    public func updateFeed(_ change: (inout FeedState) -> Void) {
        update { change(&$0.feed) }
    }

    public func feedSnapshot() -> (feed: FeedState, version: UInt64) {
        let (state, version) = snapshot()
        return (state.feed, version)
    }
}
