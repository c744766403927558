import NIOCore

/// What the gateway's calls to its upstreams need of a transport: whole
/// answers, streamed answers, and a hint of the event loop the client's
/// connection lives on. ``EventLoopHTTPTransport`` keeps the upstream
/// connection on that loop; ``CurlTransport`` has its own thread and ignores it.
public protocol UpstreamHTTPTransport: HTTPTransport {
    /// Sends `request` and returns the whole answer. - Throws: ``HTTPTransportError`` only.
    func send(_ request: HTTPRequest, near loop: (any EventLoop)?) async throws -> HTTPResponse
    /// Sends `request` and returns once the answer's head is in; the body streams.
    /// - Throws: ``HTTPTransportError`` only.
    func open(_ request: HTTPRequest, near loop: (any EventLoop)?) async throws -> HTTPStreamingResponse
    /// Fails what is in flight with ``HTTPTransportError/shutDown`` and closes every connection.
    func shutdown() async
}

extension UpstreamHTTPTransport {
    /// A stream with no loop preferred.
    public func open(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        try await open(request, near: nil)
    }
}

extension CurlTransport: UpstreamHTTPTransport {
    public func send(_ request: HTTPRequest, near loop: (any EventLoop)?) async throws -> HTTPResponse {
        try await send(request)
    }

    public func open(_ request: HTTPRequest, near loop: (any EventLoop)?) async throws -> HTTPStreamingResponse {
        try await open(request)
    }
}

extension EventLoopHTTPTransport: UpstreamHTTPTransport {}
