import CCurl

/// One request on its way through the multi loop, and the object libcurl's
/// callbacks write the response into.
///
/// Ownership is handed over, never shared: the sending task creates it and
/// puts it in the loop's queue under the mutex; after that it is touched only
/// by whoever takes it out of the queue under that mutex (the loop thread, or
/// a cancel or shutdown that finds it still queued). That hand-off is what
/// makes `@unchecked Sendable` sound.
final class CurlTransfer: @unchecked Sendable {
    let id: UInt64
    let request: HTTPRequest
    /// The request URL without query or user info, for logs and errors;
    /// worked out only for them (it took 2% of the gateway's CPU when made for every transfer).
    var endpoint: String { RedactedEndpoint.of(request.url) }
    private let delivery: Delivery

    /// Where the response goes: all at once when the transfer ends, or head
    /// first and then chunk by chunk.
    enum Delivery {
        case whole(CheckedContinuation<HTTPResponse, any Error>)
        case streamed(StreamedDelivery)
    }

    /// What the write callback tells libcurl.
    enum BodyAcceptance {
        case taken
        /// Over `maxResponseBytes`: libcurl aborts with CURLE_WRITE_ERROR.
        case refused
        /// Keep the bytes and stop reading until the reader catches up.
        case pause
    }

    /// Set while the transfer is attached to the multi handle.
    var easy: CurlEasyHandle?
    /// The CURLOPT_HTTPHEADER list; libcurl reads it during the transfer.
    var headerList: UnsafeMutablePointer<curl_slist>?
    private(set) var responseHeaders = HTTPHeaders()
    private(set) var responseBody: [UInt8] = []
    /// The status of the response being received (from its status line), 0 before one.
    private(set) var responseStatus = 0
    /// Body bytes taken so far; a streamed body is not kept here, but its size still counts.
    private var receivedBytes = 0
    private var headHandedOver = false
    /// Whether a streamed body has had any bytes (its first chunk).
    private(set) var firstChunkArrived = false
    /// When a streamed transfer with a `firstChunkTimeout` must have had its first chunk.
    let firstChunkDeadline: ContinuousClock.Instant?
    /// The driver's list of streamed transfers whose head is complete; set while attached.
    var headsToHandOver: HeadsToHandOver?
    /// Set when the write callback refused data, to tell a size abort apart
    /// from other CURLE_WRITE_ERRORs.
    private(set) var exceededResponseLimit = false

    init(id: UInt64, request: HTTPRequest, delivery: Delivery) {
        self.id = id
        self.request = request
        self.delivery = delivery
        if case .streamed = delivery, let limit = request.firstChunkTimeout {
            firstChunkDeadline = .now + limit
        } else {
            firstChunkDeadline = nil
        }
    }

    /// Resumes the sending task (or, streamed, ends the body). Called exactly
    /// once, by the transfer's current owner, with no lock held (the task may
    /// be resumed inline).
    func finish(_ result: Result<HTTPResponse, HTTPTransportError>) {
        switch delivery {
        case .whole(let continuation):
            continuation.resume(with: result.mapError { $0 as any Error })
        case .streamed(let stream):
            stream.finish(result.map { _ in () }, status: responseStatus, headers: responseHeaders)
        }
    }

    /// Write-callback body.
    func appendBody(_ bytes: UnsafeRawBufferPointer) -> BodyAcceptance {
        guard receivedBytes + bytes.count <= request.maxResponseBytes else {
            exceededResponseLimit = true
            return .refused
        }
        switch delivery {
        case .whole:
            responseBody.append(contentsOf: bytes)
        case .streamed(let stream):
            firstChunkArrived = true
            let acceptance = stream.accept(bytes)
            // After the chunk, so the opener, once resumed, finds it waiting instead of waiting for it.
            handOverHead()
            if acceptance == .pause { return .pause }
        }
        receivedBytes += bytes.count
        return .taken
    }

    /// Gives a streamed transfer's opener the head, once (later calls do
    /// nothing); a response without a blank line (HTTP/0.9) gets it with its body.
    func handOverHead() {
        guard case .streamed(let stream) = delivery, !headHandedOver else { return }
        headHandedOver = true
        stream.deliverHead(status: responseStatus, headers: responseHeaders)
    }

    /// Hands the body over without copying it.
    func takeBody() -> [UInt8] {
        defer { responseBody = [] }
        return responseBody
    }

    /// Header-callback body: libcurl passes one complete line at a time,
    /// including status lines of interim (1xx) and redirect responses.
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var line = bytes[...]
        while let last = line.last, last == 0x0D || last == 0x0A { line = line.dropLast() }
        guard !line.isEmpty else {
            // The end of a head: a final one (not 1xx) is what a streamed transfer's opener waits for. It
            // goes with the first body bytes or, when none came in the same read, at the end of the pass.
            if case .streamed = delivery, responseStatus >= 200 {
                headsToHandOver?.transfers.append(self)
            }
            return
        }
        if line.starts(with: "HTTP/".utf8) {
            // A new response starts; only the final one's headers are kept.
            responseHeaders = HTTPHeaders()
            responseBody.removeAll(keepingCapacity: true)
            receivedBytes = 0
            responseStatus = Self.status(inStatusLine: line)
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: line[..<colon], as: UTF8.self)
        let value = String(decoding: trimmed(line[(colon + 1)...]), as: UTF8.self)
        responseHeaders.add(name: name, value: value)
        if case .whole = delivery, HTTPHeaders.namesMatch(name, "Content-Length"), let length = Int(value),
            length > 0, length <= request.maxResponseBytes
        {
            responseBody.reserveCapacity(length)
        }
    }

    /// "HTTP/1.1 200 OK" or "HTTP/2 200": the three digits after the first space; 0 when there are none.
    static func status(inStatusLine line: Slice<UnsafeRawBufferPointer>) -> Int {
        guard let space = line.firstIndex(of: 0x20) else { return 0 }
        var status = 0
        var digits = 0
        for byte in line[(space + 1)...] {
            guard byte >= 0x30, byte <= 0x39, digits < 3 else { break }
            status = status * 10 + Int(byte - 0x30)
            digits += 1
        }
        return digits == 3 ? status : 0
    }

    private func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        var result = bytes
        while let first = result.first, first == 0x20 || first == 0x09 { result = result.dropFirst() }
        while let last = result.last, last == 0x20 || last == 0x09 { result = result.dropLast() }
        return result
    }

    /// Frees the header list once libcurl no longer reads it.
    func releaseHeaderList() {
        curl_slist_free_all(headerList)
        headerList = nil
    }

    deinit {
        curl_slist_free_all(headerList)
    }
}

/// Streamed transfers whose head was read in the current multi pass. Each
/// head is handed over with the transfer's first body bytes when they came
/// in the same read (one wake-up of the opening task instead of two), and
/// otherwise at the end of the pass. Used only on the multi loop thread.
final class HeadsToHandOver {
    var transfers: [CurlTransfer] = []

    func handOver() {
        guard !transfers.isEmpty else { return }
        for transfer in transfers { transfer.handOverHead() }
        transfers.removeAll(keepingCapacity: true)
    }
}
