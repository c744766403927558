import NIOCore
import NIOHTTP1

/// One request and its response on an event loop: the deadlines, the limit
/// on the body, and where the answer goes (a waiting task, or a stream's
/// ``StreamedDelivery``).
///
/// Every mutable field is read and written on `loop` only; the class is
/// `@unchecked Sendable` so that a task on another thread can hold it to ask
/// the loop to cancel it (`loop.execute { exchange.cancel() }`).
final class LoopExchange: @unchecked Sendable {
    enum Receiver {
        case whole(CheckedContinuation<HTTPResponse, any Error>)
        case streamed(StreamedDelivery)
    }

    let request: HTTPRequest
    let parts: OriginAndTarget
    let endpoint: String
    let loop: any EventLoop
    private let receiver: Receiver
    private let started: NIODeadline

    private(set) var isFinished = false
    /// The pool that started it, told when it ends.
    var pool: LoopConnectionPool?
    /// The connection carrying the exchange, once it has one.
    private(set) var connection: UpstreamConnection?
    /// Whether that connection had carried an exchange before (a reused one may
    /// have been closed by the server while it waited in the pool).
    private(set) var onReusedConnection = false
    /// Whether it was already moved once to a fresh connection after a reused one broke.
    var movedToFreshConnection = false
    private(set) var sawResponseBytes = false
    private var status = 0
    private var headers = HTTPHeaders()
    private var body: [UInt8] = []
    private var bodyBytes = 0
    private var connectedAt: NIODeadline?
    private var firstByteAt: NIODeadline?
    private var timers: [Scheduled<Void>] = []
    private var connectTimer: Scheduled<Void>?

    init(request: HTTPRequest, parts: OriginAndTarget, loop: any EventLoop, receiver: Receiver) {
        self.request = request
        self.parts = parts
        self.endpoint = request.endpoint
        self.loop = loop
        self.receiver = receiver
        self.started = .now()
    }

    var isStreamed: Bool {
        if case .streamed = receiver { return true }
        return false
    }

    // MARK: deadlines

    /// The whole transfer's deadline and, for a stream, the first chunk's; both counted from the call.
    func armDeadlines() {
        loop.assertInEventLoop()
        timers.append(
            loop.scheduleTask(deadline: started + TimeAmount(request.timeout)) { [self] in
                fail(.timedOut(endpoint: endpoint, after: request.timeout))
            })
        if isStreamed, let first = request.firstChunkTimeout {
            timers.append(
                loop.scheduleTask(deadline: started + TimeAmount(first)) { [self] in
                    guard !sawFirstChunk else { return }
                    fail(.timedOut(endpoint: endpoint, after: first))
                })
        }
    }

    /// A new connection is being opened for this exchange: it has `connectTimeout`, TLS included.
    func connecting() {
        let limit = request.connectTimeout
        connectTimer = loop.scheduleTask(in: TimeAmount(limit)) { [self] in
            fail(.timedOut(endpoint: endpoint, after: min(limit, request.timeout)))
        }
    }

    /// The connection is up (TCP, and TLS for https).
    func connected() {
        connectTimer?.cancel()
        connectTimer = nil
        if connectedAt == nil { connectedAt = .now() }
    }

    private var sawFirstChunk = false

    // MARK: the connection's side

    /// Puts the exchange on `connection`, which writes the request next.
    func attach(to connection: UpstreamConnection, reused: Bool) {
        self.connection = connection
        onReusedConnection = reused
    }

    /// Takes the exchange off a connection that broke before any response byte, to try a fresh one.
    func detach() {
        connection = nil
        connectTimer?.cancel()
        connectTimer = nil
    }

    func receiveHead(_ head: HTTPResponseHead) {
        guard !isFinished else { return }
        sawResponseBytes = true
        if firstByteAt == nil { firstByteAt = .now() }
        status = Int(head.status.code)
        headers = HTTPHeaders()
        for (name, value) in head.headers { headers.add(name: name, value: value) }
        if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > request.maxResponseBytes {
            fail(.responseTooLarge(endpoint: endpoint, limit: request.maxResponseBytes))
            return
        }
        if case .streamed(let delivery) = receiver { delivery.deliverHead(status: status, headers: headers) }
    }

    /// A body part; true when the connection should stop reading until the reader catches up.
    func receiveBody(_ buffer: ByteBuffer) -> Bool {
        guard !isFinished else { return false }
        bodyBytes += buffer.readableBytes
        guard bodyBytes <= request.maxResponseBytes else {
            fail(.responseTooLarge(endpoint: endpoint, limit: request.maxResponseBytes))
            return false
        }
        guard buffer.readableBytes > 0 else { return false }
        sawFirstChunk = true
        switch receiver {
        case .whole: body.append(contentsOf: buffer.readableBytesView)
        case .streamed(let delivery): return delivery.keep(Array(buffer.readableBytesView))
        }
        return false
    }

    /// The response ended; the connection goes back to the pool (or closes) after this.
    func receiveEnd() {
        guard finish() else { return }
        switch receiver {
        case .whole(let continuation):
            let now = NIODeadline.now()
            let timings = HTTPTimings(
                nameLookup: .zero, connect: duration(until: connectedAt ?? started),
                timeToFirstByte: duration(until: firstByteAt ?? now), total: duration(until: now))
            continuation.resume(returning: HTTPResponse(status: status, headers: headers, body: body, timings: timings))
        case .streamed(let delivery):
            delivery.finish(.success(()), status: status, headers: headers)
        }
    }

    // MARK: ending early

    /// Ends the exchange with `error`; the connection it was on (if any) is closed,
    /// since its response is unfinished.
    func fail(_ error: HTTPTransportError) {
        guard finish() else { return }
        let connection = self.connection
        self.connection = nil
        connection?.abandon(self)
        switch receiver {
        case .whole(let continuation): continuation.resume(throwing: error)
        case .streamed(let delivery): delivery.finish(.failure(error), status: status, headers: headers)
        }
    }

    /// The calling task was cancelled, or the stream was dropped.
    func cancel() { fail(.cancelled(endpoint: endpoint)) }

    /// Marks the exchange finished and stops its timers; false when it already was.
    private func finish() -> Bool {
        loop.assertInEventLoop()
        guard !isFinished else { return false }
        isFinished = true
        for timer in timers { timer.cancel() }
        timers = []
        connectTimer?.cancel()
        connectTimer = nil
        pool?.finished(self)
        pool = nil
        return true
    }

    private func duration(until deadline: NIODeadline) -> Duration {
        .nanoseconds(max(0, (deadline - started).nanoseconds))
    }
}

extension TimeAmount {
    /// A Swift `Duration` as NIO's nanosecond count (saturating far beyond any timeout used here).
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self = .nanoseconds(nanoseconds.overflow ? Int64.max : nanoseconds.partialValue + attoseconds / 1_000_000_000)
    }
}
