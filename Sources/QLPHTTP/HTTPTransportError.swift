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
    /// The transfer broke after the connection was made; `curlCode` is libcurl's `CURLcode`.
    case transferFailed(endpoint: String, curlCode: Int, detail: String)
    /// The calling task was cancelled.
    case cancelled(endpoint: String)
    /// The transport was shut down before the request finished.
    case shutDown

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
        case .transferFailed(let endpoint, let curlCode, let detail):
            "request to \(endpoint) failed (curl error \(curlCode)): \(detail)"
        case .cancelled(let endpoint):
            "request to \(endpoint) was cancelled"
        case .shutDown:
            "the HTTP transport was shut down before the request finished"
        }
    }
}
