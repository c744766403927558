import Logging

/// ``HTTPTransport`` on libcurl's multi interface: one thread drives every
/// transfer, connections are kept alive and reused, and at most
/// `maxConcurrentTransfers` requests are on the wire at once (the rest wait,
/// first come first served, without that wait counting in their timings).
///
/// Create one per process (or per upstream) and share it; call ``shutdown()``
/// when done, or let `deinit` do it.
public final class CurlTransport: HTTPTransport {
    private let loop: CurlMultiLoop

    /// - Parameters:
    ///   - maxConcurrentTransfers: requests in flight at once, and the number
    ///     of connections kept; at least 1.
    ///   - maxConnectionsPerHost: connections open to one host at once; nil
    ///     for as many as `maxConcurrentTransfers`. A transfer over it waits
    ///     inside libcurl for a connection, and that wait counts against its timeout.
    ///   - logger: gets one debug line per finished request (method, URL
    ///     without query, status, time); never header values or bodies.
    public init(
        maxConcurrentTransfers: Int = 16, maxConnectionsPerHost: Int? = nil,
        logger: Logger = Logger(label: "qlp.http")
    ) {
        loop = CurlMultiLoop(
            maxConcurrentTransfers: maxConcurrentTransfers, maxConnectionsPerHost: maxConnectionsPerHost,
            logger: logger)
        loop.start()
    }

    /// Sends `request`; cancelling the calling task abandons the transfer
    /// and throws ``HTTPTransportError/cancelled(endpoint:)``.
    ///
    /// - Throws: ``HTTPTransportError`` only.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let problem = RequestValidation.problem(in: request) {
            throw HTTPTransportError.invalidRequest(detail: problem)
        }
        let id = loop.makeTransferID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                loop.enqueue(CurlTransfer(id: id, request: request, delivery: .whole(continuation)))
            }
        } onCancel: {
            loop.cancel(transferID: id)
        }
    }

    /// Sends `request` and returns as soon as the final response's head is
    /// in; the body follows chunk by chunk through the response's
    /// ``HTTPBodyStream``. The request's `timeout` covers the whole
    /// transfer, body included. Redirects are never followed here.
    /// Cancelling the calling task before the head abandons the transfer;
    /// afterwards, dropping the body stream does.
    ///
    /// - Throws: ``HTTPTransportError`` only.
    public func open(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        if let problem = RequestValidation.problem(in: request) {
            throw HTTPTransportError.invalidRequest(detail: problem)
        }
        if request.followRedirects {
            throw HTTPTransportError.invalidRequest(detail: "a streamed request does not follow redirects")
        }
        let id = loop.makeTransferID()
        let loop = self.loop
        let delivery = StreamedDelivery(unpause: { loop.unpause(transferID: id) })
        let body = HTTPBodyStream(delivery: delivery, stop: { loop.cancel(transferID: id) })
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                delivery.expectHead(continuation)
                loop.enqueue(CurlTransfer(id: id, request: request, delivery: .streamed(delivery)))
            }
        } onCancel: {
            loop.cancel(transferID: id)
        }
        return HTTPStreamingResponse(status: head.status, headers: head.headers, body: body)
    }

    /// Fails queued and in-flight requests with ``HTTPTransportError/shutDown``,
    /// stops the loop thread and frees every libcurl handle; later requests
    /// fail the same way. Blocks until the thread has exited (one loop turn,
    /// normally well under a millisecond). Safe to call more than once.
    public func shutdown() {
        loop.shutdown()
    }

    deinit {
        loop.shutdown()
    }
}
