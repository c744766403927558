/// Which HTTP client carries the gateway's calls to its upstreams
/// (`gateway.upstream_client`). Both keep the same limits (connect timeout,
/// deadlines, response size, streaming with backpressure, no redirects).
public enum UpstreamClientKind: String, Sendable, Equatable, CaseIterable {
    /// HTTP/1.1 on the client connection's own event loop (SwiftNIO, NIOSSL):
    /// no thread crossing between reading the upstream and writing to the
    /// client. Connects to the upstreams directly.
    case eventLoop = "event_loop"
    /// libcurl's multi interface on a thread of its own (Debian's libcurl, its
    /// TLS, and the proxy its environment variables name).
    case libcurl

    /// The proxy environment variables libcurl follows, in the order it reads them.
    public static let proxyVariables = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]

    /// The proxy variables set (not empty) in `environment` that this client
    /// does not follow: with them set, an operator expects the upstream calls
    /// to go through the proxy, and the event loop client goes direct.
    public func ignoredProxyVariables(in environment: [String: String]) -> [String] {
        switch self {
        case .libcurl: []
        case .eventLoop: Self.proxyVariables.filter { !(environment[$0] ?? "").isEmpty }
        }
    }
}
