/// What bounds one attempt at one target. `at` (MonotonicClock seconds): by
/// then the attempt must have what decides it, the whole answer or, for a
/// stream, its head and first chunk; it is the attempt's share of the time
/// left, so that a target that stalls leaves time for the next one.
/// `streamEnds`: by then a stream that did start must have ended (the
/// request's own deadline, gateway.request_timeout after it arrived), so
/// that an upstream that sends a few chunks and then nothing cannot hold a
/// request past it.
struct UpstreamDeadline: Sendable {
    var at: Double
    var streamEnds: Double

    init(at: Double, streamEnds: Double? = nil) {
        self.at = at
        self.streamEnds = max(at, streamEnds ?? at)
    }

    var secondsLeft: Double { at - MonotonicClock.now }

    /// Thrown into a stream's read when `streamEnds` passed before its next
    /// chunk. (A stream's head and first chunk are held to `at` by libcurl's
    /// loop: `HTTPRequest.firstChunkTimeout`.)
    struct Passed: Error {}
}
