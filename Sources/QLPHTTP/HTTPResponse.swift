/// The final response to a request.
public struct HTTPResponse: Sendable {
    /// The status code of the final response (after any 1xx or followed redirect).
    public var status: Int
    /// The header fields of the final response only.
    public var headers: HTTPHeaders
    /// The body bytes as received (no content decoding is requested).
    public var body: [UInt8]
    /// Where the time went.
    public var timings: HTTPTimings

    /// A response; public so that fakes of ``HTTPTransport`` can build one.
    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], timings: HTTPTimings = .zero) {
        self.status = status
        self.headers = headers
        self.body = body
        self.timings = timings
    }

    /// The body as text; invalid UTF-8 becomes U+FFFD rather than failing.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// True for 2xx statuses.
    public var isSuccess: Bool { (200..<300).contains(status) }
}

extension HTTPResponse: CustomStringConvertible {
    /// Leaves out header values and the body, which may carry secrets.
    public var description: String {
        "HTTP \(status) (\(headers.count) headers, \(body.count) body bytes, \(ElapsedTimeText.of(timings.total)))"
    }
}
