/// Something that sends HTTP requests: ``CurlTransport`` in production, a
/// fake in tests.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the final response, whatever its status.
    ///
    /// - Throws: ``HTTPTransportError`` only; HTTP error statuses are not thrown.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
