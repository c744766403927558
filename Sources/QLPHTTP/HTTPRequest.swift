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
    /// Whether 3xx redirects are followed (at most 10, http and https only). Off by default.
    public var followRedirects: Bool = false

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
    /// Leaves out the query, header values and body, which may carry secrets.
    public var description: String {
        "\(method.rawValue) \(endpoint) (\(headers.count) headers, \(body.count) body bytes)"
    }
}
