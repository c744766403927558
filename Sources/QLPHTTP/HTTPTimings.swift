/// Where the time of one transfer went, each measured from the moment the
/// transfer started (libcurl's `CURLINFO_*_TIME_T`, microsecond resolution).
///
/// The transport starts a transfer only when a connection slot is free, so
/// these exclude time spent waiting in its queue. A reused connection shows a
/// name lookup and connect time of (nearly) zero.
public struct HTTPTimings: Sendable, Equatable {
    /// Until the host name was resolved.
    public var nameLookup: Duration
    /// Until the TCP connection was up (TLS not included).
    public var connect: Duration
    /// Until the first response byte arrived.
    public var timeToFirstByte: Duration
    /// Until the transfer finished.
    public var total: Duration

    public init(nameLookup: Duration, connect: Duration, timeToFirstByte: Duration, total: Duration) {
        self.nameLookup = nameLookup
        self.connect = connect
        self.timeToFirstByte = timeToFirstByte
        self.total = total
    }

    /// All zero: for responses that did not come over the network (tests, fakes).
    public static let zero = HTTPTimings(nameLookup: .zero, connect: .zero, timeToFirstByte: .zero, total: .zero)
}
