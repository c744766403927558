/// Where a streamed transfer's two sides meet: the transport's thread
/// (libcurl's multi loop, or an event loop) puts the response head and then
/// each body chunk in as they arrive; one reading task takes them out
/// (``HTTPBodyStream``). Every continuation is resumed after the lock is released.
final class StreamedDelivery: Sendable {
    /// Bytes waiting for the reader beyond which the transfer pauses.
    static let pauseAbove = 1 << 20
    /// The reader must have brought the waiting bytes down to this before a
    /// paused transfer goes on, so that it does not pause again at once.
    static let resumeBelow = pauseAbove / 4

    /// What the write callback does with a chunk.
    enum Acceptance {
        case taken
        /// Not taken: libcurl keeps it and offers it again once the transfer is unpaused.
        case pause
    }

    /// A chunk that was already waiting, or the end (`chunk` nil).
    struct Ready {
        var chunk: [UInt8]?
    }

    private struct State: Sendable {
        var head: CheckedContinuation<(status: Int, headers: HTTPHeaders), any Error>?
        var headDelivered = false
        var chunks: [[UInt8]] = []
        var firstChunk = 0
        var waitingBytes = 0
        /// The most that ever waited, for tests of the pause.
        var peakWaitingBytes = 0
        var paused = false
        var end: Result<Void, HTTPTransportError>?
        var reader: CheckedContinuation<[UInt8]?, any Error>?
        /// A cancellation that came before its read stored a continuation.
        var readCancelled = false

        /// The oldest waiting chunk, and whether a paused transfer may now go on.
        mutating func takeChunk() -> (chunk: [UInt8], unpause: Bool)? {
            guard let chunk = popChunk() else { return nil }
            let unpause = paused && waitingBytes <= StreamedDelivery.resumeBelow
            if unpause { paused = false }
            return (chunk, unpause)
        }

        private mutating func popChunk() -> [UInt8]? {
            guard firstChunk < chunks.count else { return nil }
            let chunk = chunks[firstChunk]
            chunks[firstChunk] = []
            firstChunk += 1
            waitingBytes -= chunk.count
            if firstChunk == chunks.count {
                chunks.removeAll(keepingCapacity: true)
                firstChunk = 0
            }
            return chunk
        }
    }

    private let state = LockedState(State())
    /// Asks the loop to unpause the transfer (called from the reader's thread).
    private let unpause: @Sendable () -> Void

    init(unpause: @escaping @Sendable () -> Void) {
        self.unpause = unpause
    }

    /// Set by the opening task before the transfer is queued.
    func expectHead(_ continuation: CheckedContinuation<(status: Int, headers: HTTPHeaders), any Error>) {
        state.withLock { $0.head = continuation }
    }

    var hasEnded: Bool { state.withLock { $0.end != nil } }

    var peakWaitingBytes: Int { state.withLock { $0.peakWaitingBytes } }

    // MARK: the loop thread's side

    /// The final response's head is in.
    func deliverHead(status: Int, headers: HTTPHeaders) {
        let head = state.withLock { state in
            defer {
                state.head = nil
                state.headDelivered = true
            }
            return state.headDelivered ? nil : state.head
        }
        head?.resume(returning: (status, headers))
    }

    /// Takes a chunk for the reader, or asks libcurl to hold it while the reader is behind.
    func accept(_ bytes: UnsafeRawBufferPointer) -> Acceptance {
        var reader: CheckedContinuation<[UInt8]?, any Error>?
        let chunk = Array(bytes)
        let acceptance: Acceptance = state.withLock { state in
            if let waiting = state.reader {
                state.reader = nil
                reader = waiting
                return .taken
            }
            if state.waitingBytes >= Self.pauseAbove {
                state.paused = true
                return .pause
            }
            state.chunks.append(chunk)
            state.waitingBytes += chunk.count
            state.peakWaitingBytes = max(state.peakWaitingBytes, state.waitingBytes)
            return .taken
        }
        reader?.resume(returning: chunk)
        return acceptance
    }

    /// Takes a chunk that the transport cannot hand back (an event loop has
    /// already read it off the socket), and says whether the transport should
    /// stop reading until `unpause` is called: true once about
    /// ``pauseAbove`` bytes wait for the reader.
    func keep(_ chunk: [UInt8]) -> Bool {
        var reader: CheckedContinuation<[UInt8]?, any Error>?
        let hold: Bool = state.withLock { state in
            if let waiting = state.reader {
                state.reader = nil
                reader = waiting
                return false
            }
            state.chunks.append(chunk)
            state.waitingBytes += chunk.count
            state.peakWaitingBytes = max(state.peakWaitingBytes, state.waitingBytes)
            if state.waitingBytes >= Self.pauseAbove { state.paused = true }
            return state.paused
        }
        reader?.resume(returning: chunk)
        return hold
    }

    /// The transfer is over: the head (if it never came, from `status` and
    /// `headers`, or the failure) and then the end go to whoever waits.
    func finish(_ result: Result<Void, HTTPTransportError>, status: Int, headers: HTTPHeaders) {
        let (head, reader) = state.withLock { state in
            state.end = result
            let head = state.headDelivered ? nil : state.head
            state.head = nil
            state.headDelivered = true
            // A reader waits only while nothing is queued, so the end is what it gets.
            let reader = state.reader
            state.reader = nil
            return (head, reader)
        }
        switch result {
        case .success:
            head?.resume(returning: (status, headers))
            reader?.resume(returning: nil)
        case .failure(let error):
            head?.resume(throwing: error)
            reader?.resume(throwing: error)
        }
    }

    // MARK: the reader's side

    /// A waiting chunk or the end, without suspending; nil when the reader must wait.
    func takeReady() throws -> Ready? {
        var resume = false
        let ready: Result<Ready, HTTPTransportError>? = state.withLock { state in
            if let (chunk, unpause) = state.takeChunk() {
                resume = unpause
                return .success(Ready(chunk: chunk))
            }
            switch state.end {
            case .success: return .success(Ready(chunk: nil))
            case .failure(let error): return .failure(error)
            case nil: return nil
            }
        }
        if resume { unpause() }
        return try ready?.get()
    }

    /// Parks the reader until a chunk or the end arrives (or both already did).
    func wait(_ continuation: CheckedContinuation<[UInt8]?, any Error>) {
        enum Now {
            case wait
            case chunk([UInt8], unpause: Bool)
            case end(Result<Void, HTTPTransportError>)
            case cancelled
        }
        let now: Now = state.withLock { state in
            if state.readCancelled {
                state.readCancelled = false
                return .cancelled
            }
            if let (chunk, unpause) = state.takeChunk() { return .chunk(chunk, unpause: unpause) }
            if let end = state.end { return .end(end) }
            // Nothing queued, so the transfer is not paused (the reader unpaused it on the way down).
            state.reader = continuation
            return .wait
        }
        switch now {
        case .wait: break
        case .chunk(let chunk, let resume):
            if resume { unpause() }
            continuation.resume(returning: chunk)
        case .end(.success): continuation.resume(returning: nil)
        case .end(.failure(let error)): continuation.resume(throwing: error)
        case .cancelled: continuation.resume(throwing: CancellationError())
        }
    }

    /// The reading task was cancelled: its read ends now with `CancellationError`.
    func cancelWait() {
        let reader = state.withLock { state in
            guard let reader = state.reader else {
                state.readCancelled = true
                return nil as CheckedContinuation<[UInt8]?, any Error>?
            }
            state.reader = nil
            return reader
        }
        reader?.resume(throwing: CancellationError())
    }
}
