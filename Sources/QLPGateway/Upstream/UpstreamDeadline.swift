/// The moment (on MonotonicClock) by which an upstream must have delivered
/// what the gateway is waiting for. Each attempt's transfer gets the time
/// left to it as its libcurl timeout, so an upstream that sends its headers
/// (or a few chunks) and then nothing cannot hold a request past
/// gateway.request_timeout; a stream's reads also end when a stopping
/// gateway's drain deadline passes.
struct UpstreamDeadline: Sendable {
    /// MonotonicClock seconds.
    var at: Double
    /// A stream's reads also end when a stopping gateway's drain deadline passes.
    var drain: GatewayDrain?

    var secondsLeft: Double { at - MonotonicClock.now }

    /// Thrown into a stream's read when the deadline passed before the next chunk.
    struct Passed: Error {}
}
