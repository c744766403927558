/// A response whose head is in and whose body is still arriving: what
/// ``CurlTransport/open(_:)`` returns as soon as the final response's
/// headers are read, so that a proxy can pass each chunk on as it comes.
public struct HTTPStreamingResponse: Sendable {
    /// The status code of the final response (after any 1xx).
    public var status: Int
    /// The header fields of the final response.
    public var headers: HTTPHeaders
    /// The body, chunk by chunk as libcurl receives it (chunked transfer
    /// coding already removed, no content decoding).
    public var body: HTTPBodyStream

    /// True for 2xx statuses.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// Reads the rest of the body into one array (the request's
    /// `maxResponseBytes` still applies).
    ///
    /// - Throws: ``HTTPTransportError``, or `CancellationError` when the calling task is cancelled.
    public func collectBody() async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try await body.next() { bytes.append(contentsOf: chunk) }
        return bytes
    }
}

extension HTTPStreamingResponse: CustomStringConvertible {
    /// Leaves out header values, which may carry secrets.
    public var description: String { "HTTP \(status) (\(headers.count) headers, body streaming)" }
}

/// The body of an ``HTTPStreamingResponse``, read by one task at a time.
///
/// While the reader falls behind, at most about
/// ``StreamedDelivery/pauseAbove`` bytes wait here: beyond that the transfer
/// is paused (libcurl stops reading the socket, TCP pushes back on the
/// sender) until the reader has taken most of them. Dropping the stream
/// before its end stops the transfer and closes its connection.
public final class HTTPBodyStream: Sendable {
    private let delivery: StreamedDelivery
    /// Stops the transfer; called once the stream is dropped unfinished.
    private let stop: @Sendable () -> Void

    init(delivery: StreamedDelivery, stop: @escaping @Sendable () -> Void) {
        self.delivery = delivery
        self.stop = stop
    }

    /// The next chunk as it arrived, or nil once the body has ended.
    ///
    /// - Throws: ``HTTPTransportError`` when the transfer failed part way
    ///   (timeout, reset, more than `maxResponseBytes`); `CancellationError`
    ///   when the calling task is cancelled while it waits.
    public func next() async throws -> [UInt8]? {
        if let ready = try delivery.takeReady() { return ready.chunk }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                delivery.wait(continuation)
            }
        } onCancel: {
            delivery.cancelWait()
        }
    }

    /// Stops the transfer now: a read waiting for a chunk, and every read
    /// after, throws ``HTTPTransportError/cancelled(endpoint:)`` (a chunk
    /// already waiting is still read first). Safe from any thread, more than once.
    public func cancel() { stop() }

    /// The most bytes that ever waited here for the reader.
    var peakWaitingBytes: Int { delivery.peakWaitingBytes }

    deinit {
        if !delivery.hasEnded { stop() }
    }
}
