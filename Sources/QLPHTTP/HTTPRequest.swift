/// One HTTP request, with the limits that apply to it.
public struct HTTPRequest: Sendable {
    /// The method; `HEAD` requests never carry or receive a body.
    public var method: HTTPMethod
    /// An absolute `http` or `https` URL.
    public var url: String
    /// Header fields sent as given. If the request has a body and no
    /// `Content-Type`, libcurl sends `application/x-www-form-urlencoded`.
    public var headers: HTTPHeaders
    /// The request body; empty means none (PUT, PATCH and POST still send `Content-Length: 0`).
    public var body: [UInt8]
    /// The limit on the whole transfer, connecting included.
    public var timeout: Duration
    /// The limit on name lookup plus TCP and TLS connection set-up.
    public var connectTimeout: Duration
    /// Larger response bodies fail with ``HTTPTransportError/responseTooLarge(endpoint:limit:)``.
    public var maxResponseBytes: Int
    /// For a streamed transfer (``CurlTransport/open(_:)``): the limit on the
    /// response head and the first body bytes (or the end of an empty body),
    /// counted from the call. Fails with ``HTTPTransportError/timedOut(endpoint:after:)``;
    /// `timeout` still bounds the whole transfer. Nil: only `timeout`.
    public var firstChunkTimeout: Duration? = nil
    /// Whether 3xx redirects are followed (at most 10, http and https only). Off by default.
    public var followRedirects: Bool = false
    /// Credentials libcurl answers the server's authentication challenge with;
    /// nil sends none. Never printed (see ``HTTPAuthentication``).
    public var authentication: HTTPAuthentication? = nil

    /// A request; every limit has a default suited to a control-plane API call.
    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [],
        timeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10),
        maxResponseBytes: Int = 64 << 20
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// `scheme://host[:port]/path` of ``url``, without query, fragment or
    /// user info: the form that may appear in logs and errors.
    public var endpoint: String { RedactedEndpoint.of(url) }
}

extension HTTPRequest: CustomStringConvertible {
    /// Leaves out the query, header values, body and credentials, which may carry secrets.
    public var description: String {
        "\(method.rawValue) \(endpoint) (\(headers.count) headers, \(body.count) body bytes"
            + (authentication.map { ", \($0.scheme) auth" } ?? "") + ")"
    }
}

/// How libcurl authenticates a request when the server challenges it.
///
/// HTTP Digest (RFC 7616) is what the MongoDB Atlas Admin API uses: the
/// first request goes out without credentials, the server answers 401 with
/// a nonce, and libcurl repeats the request with a hash of the password, so
/// the password itself never crosses the wire. User and password are passed
/// to libcurl separately (CURLOPT_USERNAME / CURLOPT_PASSWORD), so either
/// may contain a colon.
///
/// Every textual form (description, debugDescription, interpolation, `dump`)
/// leaves the password out.
public enum HTTPAuthentication: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// HTTP Digest, as libcurl's CURLAUTH_DIGEST (MD5 or SHA-256, qop=auth).
    case digest(user: String, password: String)

    /// The scheme's name, for descriptions: "digest".
    public var scheme: String {
        switch self {
        case .digest: "digest"
        }
    }

    public var description: String {
        switch self {
        case .digest(let user, _): "digest(user: \(user), password: <redacted>)"
        }
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
