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

    /// A few words for a status line, without the endpoint: "cannot connect",
    /// "timed out after 30 s", "answer cut short", "connection reset".
    public var summary: String {
        switch self {
        case .timedOut(_, let after): "timed out after \(after.components.seconds) s"
        case .connectionFailed: "cannot connect"
        case .responseTooLarge: "answer too large"
        case .invalidRequest: "invalid request"
        case .transferFailed(_, let curlCode, let detail): Self.breakage(curlCode: curlCode, detail: detail)
        case .cancelled: "cancelled"
        case .shutDown: "shut down"
        }
    }

    /// What a broken transfer's CURLcode says happened, in words an operator
    /// tells apart: a proxy cutting an answer is not a peer resetting.
    static func breakage(curlCode: Int, detail: String) -> String {
        switch curlCode {
        case 18: "answer cut short"  // CURLE_PARTIAL_FILE: fewer bytes than Content-Length
        case 52: "empty reply"  // CURLE_GOT_NOTHING: closed before any response
        case 55: "send failed"  // CURLE_SEND_ERROR
        case 56 where detail.lowercased().contains("reset"): "connection reset"
        case 56: "receive failed"  // CURLE_RECV_ERROR
        case 92: "HTTP/2 stream broken"  // CURLE_HTTP2_STREAM
        default: "network error"
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
        case .transferFailed(let endpoint, let curlCode, let detail):
            "request to \(endpoint) failed (curl error \(curlCode)): \(detail)"
        case .cancelled(let endpoint):
            "request to \(endpoint) was cancelled"
        case .shutDown:
            "the HTTP transport was shut down before the request finished"
        }
    }
}
