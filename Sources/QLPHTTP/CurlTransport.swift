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
    ///   - logger: gets one debug line per finished request (method, URL
    ///     without query, status, time); never header values or bodies.
    public init(maxConcurrentTransfers: Int = 16, logger: Logger = Logger(label: "qlp.http")) {
        loop = CurlMultiLoop(maxConcurrentTransfers: maxConcurrentTransfers, logger: logger)
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
                loop.enqueue(CurlTransfer(id: id, request: request, continuation: continuation))
            }
        } onCancel: {
            loop.cancel(transferID: id)
        }
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
