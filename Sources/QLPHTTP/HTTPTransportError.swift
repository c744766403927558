/// Why a request got no HTTP response.
///
/// Every `endpoint` is `scheme://host[:port]/path`, without the query string
/// or user info: query strings can carry tokens, and these errors are shown
/// on screen and written to logs.
public enum HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request or connect timeout (`after`) ran out.
    case timedOut(endpoint: String, after: Duration)
    /// No connection could be set up: refused, name not resolved, TLS handshake failed...
    case connectionFailed(endpoint: String, detail: String)
    /// The response body was larger than the request's `maxResponseBytes`.
    case responseTooLarge(endpoint: String, limit: Int)
    /// The request was rejected before anything was sent.
    case invalidRequest(detail: String)
    /// The transfer broke after the connection was made; `detail` is the client's own words
    /// (libcurl's prefixed with its code: "curl error 56: Recv failure: ...").
    case transferFailed(endpoint: String, breakage: TransferBreakage, detail: String)
    /// The calling task was cancelled.
    case cancelled(endpoint: String)
    /// The transport was shut down before the request finished.
    case shutDown

    /// A few words for a status line, without the endpoint: "cannot connect",
    /// "timed out after 30 s", "answer cut short", "connection reset".
    public var summary: String {
        switch self {
        case .timedOut(_, let after): "timed out after \(after.components.seconds) s"
        case .connectionFailed: "cannot connect"
        case .responseTooLarge: "answer too large"
        case .invalidRequest: "invalid request"
        case .transferFailed(_, let breakage, _): breakage.summary
        case .cancelled: "cancelled"
        case .shutDown: "shut down"
        }
    }

    /// One English sentence, safe to log.
    public var description: String {
        switch self {
        case .timedOut(let endpoint, let after):
            "request to \(endpoint) timed out after \(ElapsedTimeText.of(after))"
        case .connectionFailed(let endpoint, let detail):
            "could not connect to \(endpoint): \(detail)"
        case .responseTooLarge(let endpoint, let limit):
            "response from \(endpoint) is larger than the limit of \(limit) bytes"
        case .invalidRequest(let detail):
            "invalid HTTP request: \(detail)"
        case .transferFailed(let endpoint, let breakage, let detail):
            "request to \(endpoint) failed (\(breakage.summary)): \(detail)"
        case .cancelled(let endpoint):
            "request to \(endpoint) was cancelled"
        case .shutDown:
            "the HTTP transport was shut down before the request finished"
        }
    }
}
