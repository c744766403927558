import Synchronization

/// Where the pollers write what they read. The dashboard's state store is one
/// (the feed is part of what it draws); `FeedStateStore` is the one a headless
/// gateway keeps. Critical sections are a struct copy: nobody waits long.
public protocol FeedStore: AnyObject, Sendable {
    func updateFeed(_ change: (inout FeedState) -> Void)
    /// The feed now, and a number that moves on every change.
    func feedSnapshot() -> (feed: FeedState, version: UInt64)
}

extension FeedStore {
    public var feed: FeedState { feedSnapshot().feed }
}

/// The feed on its own, for a process without a dashboard. Subscribers are
/// woken on every change.
public final class FeedStateStore: FeedStore {
    private let storage: Mutex<(feed: FeedState, version: UInt64, subscribers: [WakeSignal])>

    public init(_ feed: FeedState) {
        storage = Mutex((feed, 0, []))
    }

    public func updateFeed(_ change: (inout FeedState) -> Void) {
        let subscribers = storage.withLock { current -> [WakeSignal] in
            change(&current.feed)
            current.version &+= 1
            return current.subscribers
        }
        for subscriber in subscribers { subscriber.wake() }
    }

    public func feedSnapshot() -> (feed: FeedState, version: UInt64) {
        storage.withLock { ($0.feed, $0.version) }
    }

    /// A signal woken after every change: a subscriber waits on it rather than polling.
    public func subscribe() -> WakeSignal {
        let signal = WakeSignal()
        storage.withLock { $0.subscribers.append(signal) }
        return signal
    }
}
