/// A loop that keeps part of the feed current. `wake` makes it refresh now
/// (the dashboard's r key); `run` returns when its task is cancelled.
public protocol FeedPoller: Sendable {
    var wake: WakeSignal { get }
    func run() async
}

extension CostPoller: FeedPoller {}
