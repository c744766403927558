/// Which HTTP client carries the gateway's calls to its upstreams
/// (`gateway.upstream_client`). Both keep the same limits (connect timeout,
/// deadlines, response size, streaming with backpressure, no redirects).
public enum UpstreamClientKind: String, Sendable, Equatable, CaseIterable {
    /// HTTP/1.1 on the client connection's own event loop (SwiftNIO): no thread
    /// crossing between reading the upstream and writing to the client.
    case eventLoop = "event_loop"
    /// libcurl's multi interface on a thread of its own (Debian's libcurl, its
    /// TLS and proxy support).
    case libcurl
}
