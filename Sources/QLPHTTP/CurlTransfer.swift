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
    /// The request URL without query or user info, for logs and errors.
    let endpoint: String
    private let continuation: CheckedContinuation<HTTPResponse, any Error>

    /// Set while the transfer is attached to the multi handle.
    var easy: CurlEasyHandle?
    /// The CURLOPT_HTTPHEADER list; libcurl reads it during the transfer.
    var headerList: UnsafeMutablePointer<curl_slist>?
    private(set) var responseHeaders = HTTPHeaders()
    private(set) var responseBody: [UInt8] = []
    /// Set when the write callback refused data, to tell a size abort apart
    /// from other CURLE_WRITE_ERRORs.
    private(set) var exceededResponseLimit = false

    init(id: UInt64, request: HTTPRequest, continuation: CheckedContinuation<HTTPResponse, any Error>) {
        self.id = id
        self.request = request
        self.endpoint = RedactedEndpoint.of(request.url)
        self.continuation = continuation
    }

    /// Resumes the sending task. Called exactly once, by the transfer's
    /// current owner, with no lock held (the task may be resumed inline).
    func finish(_ result: Result<HTTPResponse, HTTPTransportError>) {
        continuation.resume(with: result.mapError { $0 as any Error })
    }

    /// Write-callback body: false means "over the limit", and the caller
    /// then makes libcurl abort the transfer.
    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard responseBody.count + bytes.count <= request.maxResponseBytes else {
            exceededResponseLimit = true
            return false
        }
        responseBody.append(contentsOf: bytes)
        return true
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
        guard !line.isEmpty else { return }
        if line.starts(with: "HTTP/".utf8) {
            // A new response starts; only the final one's headers are kept.
            responseHeaders = HTTPHeaders()
            responseBody.removeAll(keepingCapacity: true)
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: line[..<colon], as: UTF8.self)
        let value = String(decoding: trimmed(line[(colon + 1)...]), as: UTF8.self)
        responseHeaders.add(name: name, value: value)
        if HTTPHeaders.namesMatch(name, "Content-Length"), let length = Int(value),
            length > 0, length <= request.maxResponseBytes
        {
            responseBody.reserveCapacity(length)
        }
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
