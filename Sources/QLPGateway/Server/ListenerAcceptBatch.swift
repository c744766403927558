import NIOCore

/// How many connections a listener accepts each time its event loop finds it
/// readable. NIO's default is 4, and an event loop looks at its listener once
/// per tick, after running every task its connections queued: with requests
/// running on the loops (`gateway.upstream_client: event_loop`) and the loops
/// short of CPU, a tick took a third of a second in a debug build with five
/// CPU hogs, so the accept queue drained at about 12 connections a second
/// while the requests already accepted went on. Connections sat there for
/// seconds unseen by the gateway's limits and logs, and those still queued
/// when a drain's wait ended were reset.
enum ListenerAcceptBatch {
    /// The kernel's accept queue is what this drains, so it is sized like one
    /// (the gateway asks for a backlog of 1024, which somaxconn may lower).
    static let connections: UInt = 256

    /// Sets the batch on a bound listener; a listener that has already closed keeps NIO's default.
    static func apply(to listener: any Channel) async {
        try? await listener.setOption(ChannelOptions.maxMessagesPerRead, value: connections).get()
    }
}
